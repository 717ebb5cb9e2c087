import { describe, expect, it } from "vitest";
import { proxyToPod } from "../proxy";
import { kubiaContext, request, runningPod } from "../testing/fixtures";
import { execIn } from "../testing/shell";

async function get(ctx: ReturnType<typeof kubiaContext>, pod: Parameters<typeof proxyToPod>[1], path: string) {
  const r = await proxyToPod(ctx, pod, "80", { ...request(), path });
  return [r.status, r.body.toString("utf8")] as const;
}

describe("the httpd and nginx images", () => {
  it("httpd serves its htdocs on port 80; moving index.html away makes it 404 (and / lists the directory)", async () => {
    const ctx = kubiaContext();
    const pod = runningPod(ctx, { name: "web-0", ip: "10.1.2.30", image: "httpd:2.4", ports: [80] });
    expect(await get(ctx, pod, "/")).toEqual([200, "<html><body><h1>It works!</h1></body></html>\n"]);
    // The access log on stdout, in httpd's common format (the client is the API server's node).
    expect(ctx.logs.read("default", "web-0", "kubia")).toMatch(/^192\.168\.57\.101 - - \[01\/Jan\/2026:00:00:00 \+0000\] "GET \/ HTTP\/1\.1" 200 45$/m);
    expect(await get(ctx, pod, "/index.html")).toEqual([200, "<html><body><h1>It works!</h1></body></html>\n"]);
    const moved = await execIn(ctx, "web-0", ["mv", "-v", "/usr/local/apache2/htdocs/index.html", "/tmp/"]);
    expect(moved).toEqual({ stdout: "'/usr/local/apache2/htdocs/index.html' -> '/tmp/index.html'\n", stderr: "", code: 0 });
    const [status, body] = await get(ctx, pod, "/index.html");
    expect(status).toBe(404);
    expect(body).toContain("<title>404 Not Found</title>");
    const listing = await get(ctx, pod, "/");
    expect(listing[0]).toBe(200);
    expect(listing[1]).toContain("<title>Index of /</title>");
    expect((await execIn(ctx, "web-0", ["mv", "/tmp/index.html", "/usr/local/apache2/htdocs/"])).code).toBe(0);
    expect((await get(ctx, pod, "/index.html"))[0]).toBe(200);
    // Nothing listens on the kubia port in an httpd container.
    await expect(proxyToPod(ctx, pod, "8080", request())).rejects.toThrow("connection refused");
  });

  it("nginx serves /usr/share/nginx/html and forbids a directory without an index", async () => {
    const ctx = kubiaContext();
    const pod = runningPod(ctx, { name: "web-1", ip: "10.1.2.31", image: "nginx", ports: [80] });
    expect((await get(ctx, pod, "/"))[1]).toContain("<h1>Welcome to nginx!</h1>");
    expect((await execIn(ctx, "web-1", ["rm", "/usr/share/nginx/html/index.html"])).code).toBe(0);
    expect((await get(ctx, pod, "/"))[0]).toBe(403);
    expect(await get(ctx, pod, "/nope")).toEqual([404, expect.stringContaining("<center><h1>404 Not Found</h1></center>")]);
  });

  it("serves the upstream e2e tests' builds of httpd too", async () => {
    const ctx = kubiaContext();
    const pod = runningPod(ctx, { name: "ss-0", ip: "10.1.2.32", image: "registry.k8s.io/e2e-test-images/httpd:2.4.38-4", ports: [80] });
    expect(await get(ctx, pod, "/index.html")).toEqual([200, "<html><body><h1>It works!</h1></body></html>\n"]);
  });

  it("mv reports what coreutils reports", async () => {
    const ctx = kubiaContext();
    runningPod(ctx, { name: "web-0", ip: "10.1.2.30", image: "httpd", ports: [80] });
    expect(await execIn(ctx, "web-0", ["mv", "/nope", "/tmp/"])).toEqual({ stdout: "", stderr: "mv: cannot stat '/nope': No such file or directory\n", code: 1 });
    expect(await execIn(ctx, "web-0", ["mv", "/tmp"])).toMatchObject({ stderr: "mv: missing destination file operand after '/tmp'\nTry 'mv --help' for more information.\n", code: 1 });
  });
});
