import type { V1Container } from "@kubernetes/client-node";
import type { AppRequest, AppResponse, KubiaApp } from "./kubia";
import type { FileSystem } from "../shell/filesystem";
import { resolvePath } from "../shell/filesystem";

/**
 * The upstream e2e tests' multi-tool image, registry.k8s.io/e2e-test-images/agnhost
 * (ENTRYPOINT ["/agnhost"], the subcommand in args). Only `test-webserver` is simulated — the one
 * the StatefulSet e2e tests run: Go's http.FileServer over "/" on --port (80), probed at
 * /localhost.crt, a file of the image they move away with `mv -v /localhost.crt /tmp/` to break
 * readiness. Any other subcommand listens on nothing here.
 */
export const AGNHOST_REPOSITORY = "registry.k8s.io/e2e-test-images/agnhost";

/** porter/localhost.crt, added at the image's root (Dockerfile: ADD porter/localhost.crt localhost.crt). */
const LOCALHOST_CRT = `-----BEGIN CERTIFICATE-----
MIIDGTCCAgGgAwIBAgIRAOAAu25xDsyahNZBSXsUWhswDQYJKoZIhvcNAQELBQAw
EjEQMA4GA1UEChMHQWNtZSBDbzAgFw03MDAxMDEwMDAwMDBaGA8yMDg0MDEyOTE2
MDAwMFowEjEQMA4GA1UEChMHQWNtZSBDbzCCASIwDQYJKoZIhvcNAQEBBQADggEP
ADCCAQoCggEBAJ3bom8WHGFTGbEse2k6bhAQxjnxJvl03+DngrnrbTUXu6zw1k/b
nk11ZHfIZPpnGoySEWYLqHBiRiMvGwRgGAu3Grtf3mfeInjs1aeXFepaXc7KRm4b
z/fw3ABwvJQ9rJw9+Xb8zZqBUpoLZzjjUDTk22pNAS9XMjRSOUtLzPEYH5fL61Ev
J7FD7twinaUbZAUQvg1nsLELt87t+bo964p6p+z77g6TBa6PPezVndzmR3F0VPHV
RLPOd9gqwboFchho3z68ZNb4rnKg1fybuaOPXmwBKDRkaQMAzlnDVe246rx6O6wg
bJKvxaXviejcKMPuZ0EDjxzoWHjnh6ooiOUCAwEAAaNoMGYwDgYDVR0PAQH/BAQD
AgKkMBMGA1UdJQQMMAoGCCsGAQUFBwMBMA8GA1UdEwEB/wQFMAMBAf8wLgYDVR0R
BCcwJYILZXhhbXBsZS5jb22HBH8AAAGHEAAAAAAAAAAAAAAAAAAAAAEwDQYJKoZI
hvcNAQELBQADggEBAGXwn/vvQA0HDbW8WnTAWpvzAfaO6j6wAsDw6sMtcQDovyuk
Q3FCkZJBQ8a1mClBGXveWaDr3bU833IVQIBTvsLmLmQ9t2YrrtbEWyfgszqGK4C7
kIbyUXe7EFiJWP7A0WqwiHtOMbk8j848/CmiKI4D5p+YgXVgurP1IQ5t79Q/ZDyD
EJt+HtJvrCo9ZHacmC865eoJZG6sG2Ul64IItRYDZbr55UKViJ8r81Q67nNCv/8D
f4/K2f+miPVaTMLAll6zCT78I+3iSPPO3yCmL/2Udp4a10Jqrfv+hbf8t4DUcqlz
4XFrUHspRDZcGXFILnAsNOpfK7UmUU0wkbFghkI=
-----END CERTIFICATE-----
`;

export const AGNHOST_FILES: Record<string, string> = { "localhost.crt": LOCALHOST_CRT };

/** Go's dirList (net/http/fs.go), entries sorted by name, directories with a trailing slash. */
function dirList(files: FileSystem, dir: string): string {
  const names = files.list(dir).sort();
  const links = names.map((n) => {
    const slash = files.tryStat(`${dir === "/" ? "" : dir}/${n}`)?.type === "dir" ? "/" : "";
    const shown = `${n}${slash}`.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    return `<a href="${encodeURI(n + slash)}">${shown}</a>\n`;
  });
  return `<!doctype html>\n<meta name="viewport" content="width=device-width">\n<pre>\n${links.join("")}</pre>\n`;
}

const NOT_FOUND: AppResponse = { status: 404, body: "404 page not found\n" };

/** http.FileServer(http.Dir("/")): files as they are, /index.html redirected to its directory, directories listed. */
function serveFiles(req: AppRequest, files: FileSystem): AppResponse {
  let urlPath: string;
  try {
    urlPath = decodeURIComponent(req.path || "/");
  } catch {
    return { status: 400, body: "Bad Request\n" };
  }
  const target = resolvePath("/", urlPath);
  if (urlPath.endsWith("/index.html")) return { status: 301, body: "", location: urlPath.slice(0, -"index.html".length) };
  const entry = files.tryStat(target);
  if (!entry) return NOT_FOUND;
  if (entry.type !== "dir") return { status: 200, body: entry.type === "file" ? entry.content : "" };
  if (!urlPath.endsWith("/")) return { status: 301, body: "", location: `${urlPath}/` };
  const index = files.tryStat(`${target === "/" ? "" : target}/index.html`);
  return { status: 200, body: index?.type === "file" ? index.content : dirList(files, target) };
}

function testWebserver(port: number): KubiaApp {
  return {
    name: "agnhost",
    port,
    startupLines: [],
    async handle(req, env) {
      return env.files ? serveFiles(req, env.files()) : NOT_FOUND;
    },
  };
}

/** agnhost test-webserver on its default port: what the image serves when nothing says otherwise. */
export const agnhostWebserver = testWebserver(80);

/** Listens on nothing: an agnhost subcommand the playground does not simulate. */
const notSimulated: KubiaApp = { name: "agnhost", port: 0, startupLines: [], handle: async () => NOT_FOUND };

/** The app an agnhost container runs, from its args: `test-webserver [--port N]`. */
export function agnhostApp(container: Pick<V1Container, "command" | "args">): KubiaApp {
  const argv = [...(container.command ?? []).slice(1), ...(container.args ?? [])];
  if (argv[0] !== "test-webserver") return notSimulated;
  const flag = argv.findIndex((a) => a === "--port" || a.startsWith("--port="));
  const port = flag < 0 ? 80 : Number(argv[flag].includes("=") ? argv[flag].split("=")[1] : argv[flag + 1]);
  return Number.isInteger(port) && port > 0 && port < 65536 ? (port === 80 ? agnhostWebserver : testWebserver(port)) : notSimulated;
}
