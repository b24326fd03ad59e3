// The estate `guardian sandbox` and the demo profile use unless told otherwise (the README states
// them). Kept apart from index.ts so command definitions can show them without loading the sandbox.

export const SANDBOX_DEFAULTS = { seed: 42, size: 2000 } as const;
