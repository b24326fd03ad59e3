// Secrets never reach output: values registered here (from the config store, the environment
// and sandbox credentials) are replaced wherever text is logged or printed.

const secrets = new Set<string>();
export const REDACTED = '••••••';

/** Register a secret value so every later log line or error message hides it. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) secrets.add(value);
}

export function redactText(text: string): string {
  let result = text;
  for (const secret of secrets) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  return result;
}

/** Environment variables whose values are secrets in the clouds' own conventions. */
export const SECRET_ENV_VARS = [
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AZURE_CLIENT_SECRET',
  'OPENAI_API_KEY',
  'GUARDIAN_LLM_API_KEY',
] as const;

export function registerEnvSecrets(env: NodeJS.ProcessEnv): void {
  for (const name of SECRET_ENV_VARS) registerSecret(env[name]);
}
