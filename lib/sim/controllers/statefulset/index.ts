export { startStatefulSetController } from "./controller";
