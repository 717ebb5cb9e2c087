import type { AppRequest, AppResponse, KubiaApp } from "./kubia";
import type { FileSystem } from "../shell/filesystem";
import { resolvePath } from "../shell/filesystem";
import { AGNHOST_FILES, AGNHOST_REPOSITORY, agnhostWebserver } from "./agnhost";

/**
 * The two web-server images learners (and the upstream StatefulSet e2e tests) run: `httpd` (Apache
 * 2.4, serving /usr/local/apache2/htdocs on port 80) and `nginx` (serving /usr/share/nginx/html on
 * port 80). They serve the files of the container's simulated filesystem, so `kubectl exec … -- mv
 * /usr/local/apache2/htdocs/index.html /tmp/` makes `GET /index.html` answer 404, as it does in a
 * real cluster (the e2e tests break an HTTP readiness probe that way).
 */

interface WebServerConfig {
  name: string;
  docroot: string;
  /** A directory without index.html: httpd's default config lists it (Options Indexes), nginx's forbids it. */
  listDirectories: boolean;
  notFound: string;
  forbidden: string;
  moved: (location: string) => string;
  notAllowed: string;
}

const APACHE_ERROR = (status: string, text: string) =>
  `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>${status}</title>\n</head><body>\n<h1>${status.replace(/^\d+ /, "")}</h1>\n<p>${text}</p>\n</body></html>\n`;

const NGINX_VERSION = "nginx/1.27.3";
const NGINX_ERROR = (status: string) => `<html>\r\n<head><title>${status}</title></head>\r\n<body>\r\n<center><h1>${status}</h1></center>\r\n<hr><center>${NGINX_VERSION}</center>\r\n</body>\r\n</html>\r\n`;

const HTTPD: WebServerConfig = {
  name: "httpd",
  docroot: "/usr/local/apache2/htdocs",
  listDirectories: true,
  notFound: APACHE_ERROR("404 Not Found", "The requested URL was not found on this server."),
  forbidden: APACHE_ERROR("403 Forbidden", "You don't have permission to access this resource."),
  moved: (location) => APACHE_ERROR("301 Moved Permanently", `The document has moved <a href="${location}">here</a>.`),
  notAllowed: APACHE_ERROR("405 Method Not Allowed", "The requested method is not allowed for this URL."),
};

const NGINX: WebServerConfig = {
  name: "nginx",
  docroot: "/usr/share/nginx/html",
  listDirectories: false,
  notFound: NGINX_ERROR("404 Not Found"),
  forbidden: NGINX_ERROR("403 Forbidden"),
  moved: () => NGINX_ERROR("301 Moved Permanently"),
  notAllowed: NGINX_ERROR("405 Not Allowed"),
};

/** mod_autoindex's plain listing (the image's httpd.conf loads it without FancyIndexing). */
function directoryListing(urlPath: string, names: string[], files: FileSystem, dir: string): string {
  const items = [...names].sort().map((n) => {
    const slash = files.tryStat(`${dir}/${n}`)?.type === "dir" ? "/" : "";
    return `<li><a href="${n}${slash}"> ${n}${slash}</a></li>\n`;
  });
  const parent = urlPath === "/" ? "" : `<li><a href="${resolvePath(urlPath, "..").replace(/\/?$/, "/")}"> Parent Directory</a></li>\n`;
  return `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<html>\n <head>\n  <title>Index of ${urlPath}</title>\n </head>\n <body>\n<h1>Index of ${urlPath}</h1>\n<ul>${parent}${items.join("")}</ul>\n</body></html>\n`;
}

function decodePath(path: string): string | undefined {
  try {
    return decodeURIComponent(path || "/");
  } catch {
    return undefined;
  }
}

/** One GET (or HEAD) for a static file under the document root. */
function serveStatic(config: WebServerConfig, req: AppRequest, files: FileSystem): AppResponse {
  if (req.method !== "GET" && req.method !== "HEAD") return { status: 405, body: config.notAllowed };
  const urlPath = decodePath(req.path);
  if (urlPath === undefined) return { status: 400, body: "" };
  const normalized = resolvePath("/", urlPath);
  const target = normalized === "/" ? config.docroot : `${config.docroot}${normalized}`;
  const entry = files.tryStat(target);
  if (!entry) return { status: 404, body: config.notFound };
  if (entry.type === "file") return { status: 200, body: entry.content };
  if (entry.type !== "dir") return { status: 403, body: config.forbidden };
  if (!urlPath.endsWith("/")) return { status: 301, body: config.moved(`${urlPath}/`), location: `${urlPath}/` };
  const index = files.tryStat(`${target}/index.html`);
  if (index?.type === "file") return { status: 200, body: index.content };
  if (!config.listDirectories) return { status: 403, body: config.forbidden };
  return { status: 200, body: directoryListing(normalized === "/" ? "/" : `${normalized}/`, files.list(target), files, target) };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `%t` / `$time_local` in UTC (the images set no TZ): `07/Dec/2026:00:35:57 +0000`. */
function logTime(ms: number): string {
  const d = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}

/**
 * One access-log line on stdout (the images send their logs there): httpd's common format, nginx's
 * `main` format with referer, user agent and forwarded-for. A kubelet probe shows as `kube-probe/1.36`.
 */
function accessLog(config: WebServerConfig, req: AppRequest, res: AppResponse, client: string, now: number): string {
  const request = `${req.method} ${req.path}${req.query ? `?${req.query}` : ""} HTTP/1.1`;
  const bytes = req.method === "HEAD" ? 0 : Buffer.byteLength(res.body);
  const head = `${client.replace(/^::ffff:/, "")} - - [${logTime(now)}] "${request}" ${res.status}`;
  if (config.name === "httpd") return `${head} ${bytes || "-"}`;
  const header = (name: string) => req.headers[name] || "-";
  return `${head} ${bytes} "${header("referer")}" "${header("user-agent")}" "${header("x-forwarded-for")}"`;
}

function webServer(config: WebServerConfig): KubiaApp {
  return {
    name: config.name,
    port: 80,
    startupLines: [],
    async handle(req, env) {
      if (!env.files) return { status: 500, body: "" };
      const response = serveStatic(config, req, env.files());
      if (env.now) env.log(accessLog(config, req, response, env.remoteAddress, env.now()));
      return response;
    },
  };
}

const httpd = webServer(HTTPD);
const nginx = webServer(NGINX);

/**
 * The web servers by image repository (as images/tools.ts repositoryOf names it), with the builds
 * of them the upstream e2e tests run (imageutils.Httpd, imageutils.Nginx).
 */
export const WEB_SERVERS: Record<string, KubiaApp> = {
  httpd,
  nginx,
  "registry.k8s.io/e2e-test-images/httpd": httpd,
  "registry.k8s.io/e2e-test-images/nginx": nginx,
  [AGNHOST_REPOSITORY]: agnhostWebserver,
};

const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

const NGINX_50X = `<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
</body>
</html>
`;

/** The files each web-server image adds to the base tree, by app name (paths without the leading "/"). */
export const WEB_SERVER_FILES: Record<string, Record<string, string>> = {
  httpd: { "usr/local/apache2/htdocs/index.html": "<html><body><h1>It works!</h1></body></html>\n" },
  nginx: { "usr/share/nginx/html/index.html": NGINX_WELCOME, "usr/share/nginx/html/50x.html": NGINX_50X },
  agnhost: AGNHOST_FILES,
};
