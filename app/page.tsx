import { connection } from "next/server";
import { Dashboard } from "@/components/Dashboard";

/**
 * Rendered per request (never prerendered): the page's CSP carries a per-request nonce
 * (proxy.ts) that Next.js can only put on its scripts during dynamic rendering.
 */
export default async function Page() {
  await connection();
  return <Dashboard />;
}
