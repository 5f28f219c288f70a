// The editorial workflow over the API, as the demo users: the editor writes a draft with typed blocks,
// updates it with If-Match, submits it; the editorial lead approves; the medical reviewer verifies every
// claim and approves, and the post is live with its trust line. Each step checks what the API answers.
import createClient from "openapi-fetch";

import type { components, paths } from "./schema.js";

type Schemas = components["schemas"];
type BodyInput = Schemas["BlogPostPageCreateSchema"]["body"];
export type Tokens = { editor: string; lead: string; reviewer: string };

export function client(api: string, token?: string) {
  return createClient<paths>({ baseUrl: api, headers: token ? { Authorization: `Bearer ${token}` } : {} });
}

function check<T>(step: string, result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined || !result.response.ok) {
    throw new Error(`${step}: ${result.response.status} ${JSON.stringify(result.error)}`);
  }
  console.error(`ok ${result.response.status}  ${step}`);
  return result.data;
}

function expect(step: string, condition: boolean, detail: unknown): void {
  if (!condition) throw new Error(`${step}: ${JSON.stringify(detail)}`);
}

export async function walkTheWorkflow(api: string, tokens: Tokens): Promise<Schemas["Post"]> {
  const editor = client(api, tokens.editor);
  const lead = client(api, tokens.lead);
  const reviewer = client(api, tokens.reviewer);
  const reader = client(api);

  // What the draft cites and shows, from the public read API.
  const experts = check("read experts", await reader.GET("/api/v3/experts/", { params: { query: { limit: 1 } } }));
  const sources = check("read sources", await reader.GET("/api/v3/sources/", { params: { query: { limit: 1 } } }));
  const products = check("read products", await reader.GET("/api/v3/products/", { params: { query: { limit: 1 } } }));
  const expert = experts.items[0];
  const source = sources.items[0];
  const shown = products.items[0];
  expect("the demo has an expert, a source and a product", !!(expert && source && shown), { expert, source, shown });
  const blogs = check(
    "find the blog",
    await editor.GET("/api/v3/pages/", { params: { query: { type: ["blog.BlogIndexPage"], limit: 1 } } }),
  );
  const blog = blogs.items[0];
  expect("the demo has a blog", blog !== undefined, blogs);

  // The editor writes a draft: typed blocks, in Wagtail's stored shape (docs/api.md, "Writing drafts").
  const slug = `aftercare-questions-${Date.now()}`;
  const body: BodyInput = [
    { type: "heading", value: { text: "Why aftercare matters", level: "h2" } },
    { type: "paragraph", value: "<p>Feelings after sex are common, and talking helps.</p>" },
    { type: "claim", value: { statement: "Postcoital dysphoria is common.", sources: [source!.id] } },
    {
      type: "statistic",
      value: {
        figure: "46",
        unit: "percent",
        statement: "46% of women in one survey had felt it at least once.",
        population: "women",
        sample_size: 230,
        year: 2015,
        sources: [source!.id],
      },
    },
    { type: "expert_quote", value: { expert: expert!.id, quote: "It is a normal response.", sources: [source!.id] } },
    // A product module stands apart from the claims (the blocks' own rule: a 422 otherwise).
    { type: "paragraph", value: "<p>Some readers find these help.</p>" },
    { type: "products", value: { heading: "Shop Now", products: [shown!.id] } },
  ];
  const created = check(
    "editor creates a draft",
    await editor.POST("/api/v3/pages/", {
      body: { meta: { type: "blog.BlogPostPage", parent_id: blog!.id }, title: "Aftercare questions", slug, dek: "What to ask", body },
    }),
  );
  const pageId = created.id;
  if (typeof pageId !== "number") throw new Error(`the new draft has no id: ${JSON.stringify(created)}`);

  // The editor updates it, based on the revision they read (If-Match: a concurrent save would be a 412).
  const read = await editor.GET("/api/v3/pages/{page_id}/", { params: { path: { page_id: pageId }, query: { version: "draft" } } });
  check("editor reads the draft", read);
  const etag = read.response.headers.get("ETag");
  expect("the draft has an ETag", etag !== null, etag);
  check(
    "editor updates the draft",
    await editor.PATCH("/api/v3/pages/{page_id}/", {
      params: { path: { page_id: pageId }, header: { "If-Match": etag! } },
      body: { meta: { type: "blog.BlogPostPage" }, dek: "What to ask, and when" },
    }),
  );

  const submitted = check(
    "editor submits",
    await editor.POST("/api/v3/workflow/pages/{page_id}/submit/", { params: { path: { page_id: pageId } } }),
  );
  expect("waits for editorial review", submitted.current_step === "Editorial review", submitted);

  const approved = check(
    "lead approves",
    await lead.POST("/api/v3/workflow/pages/{page_id}/approve/", {
      params: { path: { page_id: pageId } },
      body: { comment: "Reads well." },
    }),
  );
  expect("waits for medical review", approved.current_step === "Medical review", approved);

  const review = check(
    "reviewer lists the claims",
    await reviewer.GET("/api/v3/workflow/pages/{page_id}/claims/", { params: { path: { page_id: pageId } } }),
  );
  expect("three claims", review.claims.length === 3, review.claims);
  for (const claim of review.claims) {
    check(
      `reviewer verifies the ${claim.type} ${claim.block_id}`,
      await reviewer.POST("/api/v3/workflow/pages/{page_id}/claims/{block_id}/verify/", {
        params: { path: { page_id: pageId, block_id: claim.block_id } },
        body: { status: "verified", note: "Matches the source." },
      }),
    );
  }
  const published = check(
    "reviewer approves",
    await reviewer.POST("/api/v3/workflow/pages/{page_id}/approve/", {
      params: { path: { page_id: pageId } },
      body: { comment: "Every claim checked." },
    }),
  );
  expect("the post is live", published.live, published);

  const post = check(
    "a reader reads the post",
    await reader.GET("/api/v3/posts/by-slug/{slug}/", { params: { path: { slug } } }),
  );
  expect("the post is medically reviewed", post.medical_review.status === "reviewed", post.medical_review);
  expect("the update is live", post.dek === "What to ask, and when", post.dek);
  return post;
}
