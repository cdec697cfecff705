import fs from "node:fs";
import { simulate } from "../src/experiment/simulate.ts";
const sc = JSON.parse(fs.readFileSync("examples/scenarios/mmc.json", "utf8"));
const t = Date.now();
const r = await simulate(sc, { replications: 20, seed: 1 });
console.log(Date.now() - t, "ms");
console.log(JSON.stringify({ q: r.line.dispatch, resp: r.line.response, counts: r.line.counts, util: r.teams.map(x=>x.utilisation.value) }, null, 1));
// Erlang C for lambda=3, mu=1, c=4
function erlangC(l: number, mu: number, c: number) { const a = l/mu; let s=0, term=1; for (let k=0;k<c;k++){ if(k>0) term*=a/k; s+=term;} const tc = term*a/c; const last = tc/(1-a/c); const pw = last/(s+last); return { pw, wq: pw/(c*mu-l) }; }
console.log(erlangC(3,1,4));
