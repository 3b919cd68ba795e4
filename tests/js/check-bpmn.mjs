// Reads a BPMN file and prints bpmn-moddle's warnings as JSON (an empty list means a clean import).
import { readFileSync } from "node:fs";
import BpmnModdle from "bpmn-moddle";

const xml = readFileSync(process.argv[2], "utf8");
const { warnings } = await new BpmnModdle().fromXML(xml);
console.log(JSON.stringify(warnings.map((w) => w.message)));
