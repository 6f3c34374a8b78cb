// Runs in the browser page of summary-render.test.ts (after marked and mermaid were loaded): renders
// the summary Markdown into #box, draws its Mermaid blocks, and measures the result.
/* global document, marked, mermaid */
globalThis.measureSummary = async (md) => {
  const box = document.getElementById("box");
  box.innerHTML = marked.parse(md, { gfm: true });
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "default" });
  let parseError = "";
  const holders = [];
  for (const code of [...box.querySelectorAll("pre > code.language-mermaid")]) {
    const text = code.textContent ?? "";
    try {
      await mermaid.parse(text);
    } catch (e) {
      parseError = String(e);
    }
    const holder = document.createElement("div");
    holder.className = "mermaid";
    holder.textContent = text;
    code.parentElement.replaceWith(holder);
    holders.push(holder);
  }
  if (!parseError && holders.length) await mermaid.run({ nodes: holders });
  const svg = box.querySelector("div.mermaid svg");
  const rect = svg?.getBoundingClientRect();
  const viewBox = svg?.getAttribute("viewBox")?.split(/\s+/).map(Number);
  const nodes = [...box.querySelectorAll("div.mermaid svg g.node")];
  const top = (id) => nodes.find((n) => n.id.includes(`-${id}-`))?.getBoundingClientRect().top ?? Number.NaN;
  return {
    parseError,
    tables: [...box.querySelectorAll("table")].map((t) => ({
      width: t.getBoundingClientRect().width,
      scrollWidth: t.scrollWidth,
      clientWidth: t.clientWidth,
    })),
    svg:
      rect && viewBox
        ? { width: rect.width, height: rect.height, scale: rect.width / viewBox[2] }
        : undefined,
    nodeIds: nodes.map((n) => /-(n\d+)-/.exec(n.id)?.[1] ?? n.id),
    edgeIds: [...box.querySelectorAll("div.mermaid svg path.flowchart-link")].map(
      (p) => p.getAttribute("data-id") ?? p.id,
    ),
    subjectTop: top("n0"),
    minNodeTop: Math.min(...nodes.map((n) => n.getBoundingClientRect().top)),
    pageHeight: document.documentElement.scrollHeight,
  };
};
