// A post as a standalone HTML page, from the API's `Post` alone: every body block type, the numbered
// Sources, the medical review's trust line and Shop The Story. The switch over block types is exhaustive:
// a block type added to the API's union fails `tsc --strict` here until the renderer shows it.
import type { components } from "./schema.js";

type Schemas = components["schemas"];
export type Post = Schemas["Post"];
type BodyBlock = Post["body"][number];
type ShopTheStoryItem = Post["shop_the_story"][number];
type ProductCard = Schemas["ProductCard"];
type ResponsiveImage = Schemas["ResponsiveImage"];

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escape(text: string | number | null | undefined): string {
  return String(text ?? "").replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}

function picture(image: ResponsiveImage | null, alt?: string): string {
  if (!image || image.renditions.length === 0) return "";
  const srcset = image.renditions.map((rendition) => `${escape(rendition.url)} ${rendition.width}w`).join(", ");
  const smallest = image.renditions[0]!;
  return `<img src="${escape(smallest.url)}" srcset="${srcset}" alt="${escape(alt ?? image.alt)}" width="${smallest.width}" height="${smallest.height}">`;
}

function citations(numbers: number[]): string {
  return numbers.map((number) => `<sup><a href="#source-${number}">[${number}]</a></sup>`).join("");
}

function product(card: ProductCard): string {
  const was = card.compare_at_price !== null ? ` <s>${escape(card.compare_at_price_display)}</s>` : "";
  const buy = card.buyable ? `<a class="buy" href="${escape(card.buy_url)}">Buy</a>` : "";
  return `<li class="product">${picture(card.image)}<a href="${escape(card.url)}">${escape(card.title)}</a>
    <span class="price">${escape(card.price_display)}${was}</span> <span>${escape(card.availability_label)}</span> ${buy}</li>`;
}

export function block(item: BodyBlock): string {
  switch (item.type) {
    case "heading":
      return `<${item.level} id="${escape(item.anchor)}">${escape(item.text)}</${item.level}>`;
    case "paragraph":
      return item.html; // the API's rich text: HTML with internal links resolved
    case "list": {
      const items = item.items.map((text) => `<li>${escape(text)}</li>`).join("");
      return `<${item.style}>${items}</${item.style}>`;
    }
    case "image":
      return `<figure>${picture(item.image)}${item.caption ? `<figcaption>${escape(item.caption)}</figcaption>` : ""}</figure>`;
    case "expert_quote":
      return `<blockquote class="expert-quote"><p>${escape(item.quote)}${citations(item.sources)}</p>
    <footer>${picture(item.expert.photo, "")} <a href="${escape(item.expert.profile_url)}">${escape(item.expert.name)}</a>, ${escape(item.expert.credentials)}</footer></blockquote>`;
    case "quote":
      return `<blockquote class="quote"><p>${escape(item.quote)}${citations(item.sources)}</p><footer>${escape(item.attribution)}</footer></blockquote>`;
    case "statistic": {
      const figure = item.unit === "percent" ? `${item.figure}%` : item.figure;
      const sample = item.sample_size !== null ? ` (n = ${item.sample_size})` : "";
      return `<aside class="statistic"><strong>${escape(figure)}</strong> <p>${escape(item.statement)}${escape(sample)}${citations(item.sources)}</p></aside>`;
    }
    case "claim":
      return `<p class="claim">${escape(item.statement)}${citations(item.sources)}</p>`;
    case "callout":
      return `<aside class="callout callout-${item.tone}">${item.title ? `<h4>${escape(item.title)}</h4>` : ""}${item.html}</aside>`;
    case "not_medical_advice":
      return `<aside class="not-medical-advice"><p>${escape(item.text)}</p></aside>`;
    case "get_help": {
      const resources = item.resources
        .map((resource) => {
          const phone = resource.phone ? ` <a href="tel:${escape(resource.phone)}">${escape(resource.phone)}</a>` : "";
          const link = resource.url ? ` <a href="${escape(resource.url)}">${escape(resource.url)}</a>` : "";
          return `<li><strong>${escape(resource.name)}</strong> ${escape(resource.description)}${phone}${link}</li>`;
        })
        .join("");
      return `<aside class="get-help"><h4>${escape(item.heading)}</h4><p>${escape(item.intro)}</p><ul>${resources}</ul></aside>`;
    }
    case "products":
      return `<section class="shop-now"><h4>${escape(item.heading)}</h4><ul>${item.products.map(product).join("")}</ul></section>`;
    default: {
      const unknown: never = item;
      throw new Error(`No rendering for the block ${JSON.stringify(unknown)}`);
    }
  }
}

function shopTheStoryItem(item: ShopTheStoryItem): string {
  switch (item.type) {
    case "product":
      return product(item.product);
    case "collection": {
      const collection = item.collection;
      const bundle = collection.is_bundle
        ? `<p class="bundle">Bundle price ${escape(collection.bundle_price)} ${escape(collection.currency)}, instead of ${escape(collection.items_total)}: save ${escape(collection.savings)} (${escape(collection.savings_percent)}%)</p>`
        : "";
      return `<li class="collection"><a href="${escape(collection.url)}">${escape(collection.title)}</a>${bundle}<ul>${collection.products.map(product).join("")}</ul></li>`;
    }
    default: {
      const unknown: never = item;
      throw new Error(`No rendering for the Shop The Story item ${JSON.stringify(unknown)}`);
    }
  }
}

export function trustLine(post: Post): string {
  const review = post.medical_review;
  if (review.status !== "reviewed" || !review.reviewer || !review.reviewed_at) return "";
  const date = new Date(review.reviewed_at).toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric" });
  return `<p class="trust-line">Medically reviewed by <a href="${escape(review.reviewer.profile_url)}">${escape(review.reviewer.name)}, ${escape(review.reviewer.credentials)}</a> on ${escape(date)}</p>`;
}

export function renderPost(post: Post): string {
  const sources = post.sources
    .map((source) => `<li id="source-${source.number}"><a href="${escape(source.url)}">${escape(source.title)}</a>${source.publisher ? `, ${escape(source.publisher)}` : ""}${source.year !== null ? ` (${source.year})` : ""}</li>`)
    .join("\n");
  const shop = post.shop_the_story.length
    ? `<section class="shop-the-story"><h2>Shop The Story</h2><ul>${post.shop_the_story.map(shopTheStoryItem).join("")}</ul></section>`
    : "";
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${escape(post.seo_title || post.title)}</title>
<meta name="description" content="${escape(post.search_description || post.dek)}"></head>
<body><article>
<h1>${escape(post.title)}</h1>
<p class="dek">${escape(post.dek)}</p>
${trustLine(post)}
${picture(post.hero_image)}
${post.body.map(block).join("\n")}
<section class="sources"><h2>Sources</h2><ol>
${sources}
</ol></section>
${shop}
</article></body>
</html>
`;
}
