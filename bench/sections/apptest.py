"""Section ``apptest``: every page × filter state run with Streamlit's AppTest.

Runs :func:`bench.apprun.run_pages` (server-side page run, query cache cleared,
then once more cached) and saves the queries each page ran: the replay's plan.
Its report part is the per-page table (with the replay's and the load test's
figures for the same pages) and the map payloads.
"""
from __future__ import annotations

from bench.harness import Run, log
from bench.stats import kb, ms, summary

NAME = "apptest"


def needed(ctx: Run) -> bool:
    """Run when asked for, and also when the replay needs a plan that is not there."""
    return ctx.todo(NAME) or (ctx.todo("replay") and not ctx.plan_path.exists())


def run(ctx: Run) -> dict:
    """Run the pages, save the plan, return the runs without their query lists."""
    from bench import apprun

    pages = ctx.opts.pages
    log(f"AppTest: {len(ctx.states)} states × {len(pages) if pages else 'all'} pages")
    ar = apprun.run_pages(ctx.opts.warehouse, ctx.states, pages, progress=lambda m: log("  " + m))
    apprun.save_plan(ar, ctx.plan_path)
    return result(ar)


def result(page_runs: dict) -> dict:
    """What the results keep of :func:`bench.apprun.run_pages`: each run with its number of queries."""
    return {"cold_first_s": page_runs["cold_first_s"],
            "runs": [{k: v for k, v in r.items() if k != "queries"} | {"n_queries": len(r["queries"])}
                     for r in page_runs["runs"]]}


def pages(res: dict) -> dict:
    """Per page: load and rerun seconds, query counts and runs with errors."""
    out: dict = {}
    for r in (res.get(NAME) or {}).get("runs", []):
        d = out.setdefault(r["page"], {"load": [], "rerun": [], "queries": [], "errors": 0})
        d["load"].append(r["load_s"])
        d["rerun"].append(r["rerun_s"])
        d["queries"].append(r["n_queries"])
        d["errors"] += bool(r["errors"])
    return out


def map_payloads(res: dict) -> dict:
    """Largest map figure sent per level (bytes of the Plotly JSON in the page run)
    and the all-district national map built directly with :mod:`ui.choropleth`."""
    out: dict = {"region": None, "district": None, "by_page": {}}
    for r in (res.get(NAME) or {}).get("runs", []):
        level = "district" if (r["url"].get("region") or r["url"].get("districts")) else "region"
        for c in r["charts"]:
            if not c["map"]:
                continue
            out[level] = max(out[level] or 0, c["bytes"])
            out["by_page"][r["page"]] = max(out["by_page"].get(r["page"], 0), c["bytes"])
    try:
        _national_maps(out)
    except Exception as exc:  # noqa: BLE001 - geo is optional for the report
        out["error"] = f"{type(exc).__name__}: {exc}"
    return out


def _national_maps(out: dict) -> None:
    """Add the bytes of the all-district country map and of the largest one-region district map."""
    import pandas as pd

    from data.reference import districts
    from ui import choropleth as maps

    codes = districts(with_code_only=True)["district_soato"]  # the 205 units a map can draw
    vals = pd.DataFrame({"soato": codes, "v": range(len(codes))})
    fig = maps.choropleth(vals, level="district", value="v", title="bench", lang="uz")
    out["district_all_country"] = len(fig.to_json().encode("utf-8"))
    worst = 0
    for reg in sorted({c[:4] for c in codes}):
        f = maps.choropleth(vals[vals["soato"].str[:4] == reg], level="district", value="v", title="bench",
                            region_soato=reg, lang="uz")
        worst = max(worst, len(f.to_json().encode("utf-8")))
    out["district_one_region_max"] = worst


def details(res: dict) -> list[str]:
    """The per-page table: replay, AppTest, cached rerun, map size and the load test's p95s."""
    rp = (res.get("replay") or {}).get("summary", {})
    at_pages = pages(res)
    levels = (res.get("load") or {}).get("levels", [])
    maps = (res.get("map") or {}).get("by_page", {})
    if (res.get(NAME) or {}).get("error"):
        return ["", "## Page runs (AppTest)", "", f"Not completed: {res[NAME]['error']}"]
    if not (at_pages or rp):
        return []
    lv_names = [lv["n"] for lv in levels]
    out = ["", "## Per page (milliseconds)", "",
           "Replay = all queries of one interaction, warm DuckDB, no Streamlit cache. "
           "AppTest = full server-side page run (router, filter bar, queries, figures) with the "
           "query cache cleared; cached = the same run again with every query cached. "
           + ("Browser/server = load-test page loads (client) and script runs (server hook) at "
              + ", ".join(f"N={n}" for n in lv_names) + "." if lv_names else ""),
           "",
           "| page | queries | replay p50 / p95 / max | AppTest p50 / p95 / max | cached p95 | map KB |"
           + "".join(f" browser load p95 N={n} | server run p95 N={n} |" for n in lv_names),
           "| --- " * (6 + 2 * len(lv_names)) + "|"]
    for page in sorted(set(at_pages) | set(rp.get("pages", {}))):
        r = rp.get("pages", {}).get(page, {})
        a = at_pages.get(page, {})
        la, rr = summary(a.get("load", [])), summary(a.get("rerun", []))
        nq = a.get("queries") or [0]
        line = (f"| {page} | {min(nq)}–{max(nq)} | {ms(r.get('p50'))} / {ms(r.get('p95'))} / {ms(r.get('max'))} | "
                f"{ms(la['p50'])} / {ms(la['p95'])} / {ms(la['max'])} | {ms(rr['p95'])} | "
                f"{kb(maps.get(page)) if page in maps else '—'} |")
        for lv in levels:
            cl = lv.get("client", {}).get(page, {}).get("load", {})
            sv = lv.get("server", {}).get(page, {})
            line += f" {ms(cl.get('p95'))} | {ms(sv.get('p95'))} |"
        out.append(line)
    errs = [r for r in (res.get(NAME) or {}).get("runs", []) if r["errors"]]
    if errs:
        out += ["", f"Page runs that showed an error: {len(errs)} — e.g. {errs[0]['page']} / {errs[0]['state']}: "
                f"{str(errs[0]['errors'][0])[:200]}"]
    return out
