import { up } from "./cluster";
import { realClusterInstancePaths } from "./config";
const r = await up({ paths: realClusterInstancePaths("robust"), log: () => {} });
console.log(JSON.stringify(r));
