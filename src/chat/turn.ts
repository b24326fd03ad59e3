/** One answered question: what `guardian chat` prints with --json and what a session keeps per turn. */
export type ChatTurn = {
  answer: string;
  toolCalls: { name: string; arguments: unknown; result: unknown }[];
  model: string;
};
