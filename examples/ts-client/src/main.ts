// Renders the seed post to HTML from the API alone, then walks the editorial workflow as the demo users.
// VERITY_API: the server (http://127.0.0.1:8000); VERITY_TOKEN_EDITOR, _LEAD, _REVIEWER: their API tokens
// (Settings -> API tokens in the admin); VERITY_OUT: where to write the seed post's HTML (stdout if unset).
import { writeFileSync } from "node:fs";

import { renderPost, trustLine } from "./render.js";
import { client, walkTheWorkflow } from "./workflow.js";

const SEED = "what-it-means-if-you-cry-after-sex";
const EVERY_BLOCK_TYPE = ["heading", "paragraph", "list", "expert_quote", "quote", "statistic", "claim", "callout", "products"];

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const api = process.env.VERITY_API ?? "http://127.0.0.1:8000";
  const seed = await client(api).GET("/api/v3/posts/by-slug/{slug}/", { params: { path: { slug: SEED } } });
  if (!seed.data) throw new Error(`the seed post: ${seed.response.status} ${JSON.stringify(seed.error)}`);
  const post = seed.data;
  const html = renderPost(post);
  const missing = EVERY_BLOCK_TYPE.filter((type) => !post.body.some((block) => block.type === type));
  if (missing.length) throw new Error(`the seed post lacks ${missing.join(", ")}`);
  if (!trustLine(post)) throw new Error("the seed post has no trust line");
  if (!html.includes("Shop The Story") || !html.includes('id="source-1"')) throw new Error("no Shop The Story or Sources");
  if (process.env.VERITY_OUT) writeFileSync(process.env.VERITY_OUT, html);
  else process.stdout.write(html);
  console.error(`ok  rendered the seed post: ${post.body.length} blocks, ${post.sources.length} sources, ${html.length} bytes`);

  if (process.env.VERITY_TOKEN_EDITOR) {
    const tokens = {
      editor: required("VERITY_TOKEN_EDITOR"),
      lead: required("VERITY_TOKEN_LEAD"),
      reviewer: required("VERITY_TOKEN_REVIEWER"),
    };
    const published = await walkTheWorkflow(api, tokens);
    renderPost(published);
    console.error(`ok  walked the workflow: ${published.url} is live and ${published.medical_review.status}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
