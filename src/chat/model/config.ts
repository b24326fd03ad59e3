// Which model a chat talks to: endpoint, model name and key, from (first wins) the --model flag,
// Guardian's own environment (GUARDIAN_LLM_*), the profile's llm.* keys, then the OpenAI client's
// conventions (OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL). An endpoint without a key is a local
// server (Ollama, vLLM, llama.cpp); neither key nor endpoint: no model is configured.

import type { LlmSettings } from '../../config/profile.js';
import { registerSecret } from '../../config/redact.js';

export const DEFAULT_MODEL = 'gpt-4o-mini';
export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export interface ModelEndpoint {
  baseUrl: string;
  model: string;
  /** Undefined for a local server that takes none. */
  apiKey?: string;
  /** Where the key came from, for --verbose (never the key itself). */
  keyFrom?: string;
  /** Azure OpenAI reads the key from an `api-key` header. */
  azure: boolean;
}

const clean = (value: string | undefined) => (value && value.trim() !== '' ? value.trim() : undefined);

export function resolveEndpoint(options: { model?: string; llm?: LlmSettings; env: NodeJS.ProcessEnv }): ModelEndpoint | undefined {
  const { env, llm } = options;
  const keys: [string, string | undefined][] = [
    ['GUARDIAN_LLM_API_KEY', clean(env.GUARDIAN_LLM_API_KEY)],
    ['the profile (llm.apiKey)', clean(llm?.apiKey)],
    ['OPENAI_API_KEY', clean(env.OPENAI_API_KEY)],
  ];
  const [keyFrom, apiKey] = keys.find(([, value]) => value !== undefined) ?? [undefined, undefined];
  const baseUrl = clean(env.GUARDIAN_LLM_BASE_URL) ?? clean(llm?.baseUrl) ?? clean(env.OPENAI_BASE_URL);
  if (!apiKey && !baseUrl) return undefined;
  registerSecret(apiKey);
  const url = (baseUrl ?? OPENAI_BASE_URL).replace(/\/+$/, '');
  let azure = false;
  try {
    azure = new URL(url).hostname.endsWith('.openai.azure.com');
  } catch {
    azure = false;
  }
  return {
    baseUrl: url,
    model: clean(options.model) ?? clean(env.GUARDIAN_LLM_MODEL) ?? clean(llm?.model) ?? clean(env.OPENAI_MODEL) ?? DEFAULT_MODEL,
    apiKey,
    keyFrom,
    azure,
  };
}
