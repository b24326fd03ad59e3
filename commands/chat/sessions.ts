// `guardian chat sessions list|show|export|delete`: the saved chat sessions (src/chat/sessions.ts).
// `show` prints the transcript for people; `export` writes it as Markdown or JSON.

import { type Command, Option } from 'commander';
import { UsageError } from '../../src/errors.js';
import { contextFor, type VerbDefinition } from '../context.js';

export const defineChatSessions: VerbDefinition = (chat, runtime) => {
  const sessions = chat.command('sessions').description('the saved chat sessions: list, show, export, delete');
  sessions
    .command('list')
    .description('every saved session, oldest first')
    .action(async (_options: object, command: Command) => {
      const ctx = contextFor(command, runtime);
      const { listSessions } = await import('../../src/chat/sessions.js');
      const list = await listSessions(ctx.env);
      const { renderView, toJson } = await import('../../src/render/output.js');
      const { resolveFormat } = await import('../../src/render/format.js');
      const format = resolveFormat(ctx.globals, ['table', 'json', 'csv', 'markdown']);
      if (list.length === 0 && format === 'table') {
        ctx.io.log.info('no chat sessions yet');
        return;
      }
      renderView(
        ctx.io,
        format,
        {
          columns: [
            { header: 'ID', value: (s) => s.id },
            { header: 'STARTED', value: (s) => s.startedAt },
            { header: 'PROFILE', value: (s) => s.profile },
            { header: 'MODEL', value: (s) => s.model, priority: 2 },
            { header: 'TURNS', value: (s) => String(s.turns) },
            { header: 'FAILED', value: (s) => String(s.failed), priority: 1 },
            { header: 'FIRST QUESTION', value: (s) => s.firstQuestion ?? '', overflow: 'truncate', priority: 3 },
          ],
          rows: list,
        },
        () => toJson('guardian.chat-sessions', { sessions: list }),
      );
    });
  sessions
    .command('show')
    .description('print a session: each question, its answer and the tools called')
    .argument('<id>', 'the session id (guardian chat sessions list)')
    .action(async (id: string, _options: object, command: Command) => {
      const ctx = contextFor(command, runtime);
      const { readSession, sessionMarkdown } = await import('../../src/chat/sessions.js');
      const session = await readSession(ctx.env, id);
      if (ctx.globals.json) {
        const { printDocument, toJson } = await import('../../src/render/output.js');
        printDocument(ctx.io, toJson('guardian.chat-session', session));
        return;
      }
      const { escapeControls } = await import('../../src/render/escape.js');
      ctx.io.out(escapeControls(sessionMarkdown(session), { newlines: true }));
    });
  sessions
    .command('export')
    .description('write a session as Markdown or JSON to stdout')
    .argument('<id>', 'the session id')
    .addOption(new Option('--format <format>', 'markdown or json').choices(['markdown', 'json']).default('markdown'))
    .action(async (id: string, options: { format: 'markdown' | 'json' }, command: Command) => {
      const ctx = contextFor(command, runtime);
      const { readSession, sessionMarkdown } = await import('../../src/chat/sessions.js');
      const session = await readSession(ctx.env, id);
      const { printDocument, toJson } = await import('../../src/render/output.js');
      if (options.format === 'json' || ctx.globals.json) printDocument(ctx.io, toJson('guardian.chat-session', session));
      else {
        const { escapeControls } = await import('../../src/render/escape.js');
        ctx.io.out(escapeControls(sessionMarkdown(session), { newlines: true }));
      }
    });
  sessions
    .command('delete')
    .description('delete a saved session')
    .argument('<id>', 'the session id')
    .action(async (id: string, _options: object, command: Command) => {
      const ctx = contextFor(command, runtime);
      if (id.trim() === '') throw new UsageError('chat sessions delete needs a session id');
      const { deleteSession } = await import('../../src/chat/sessions.js');
      await deleteSession(ctx.env, id);
      ctx.io.log.info(`deleted chat session ${id}`);
    });
};
