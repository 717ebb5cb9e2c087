import { type DataFile, FileSystemError } from "../dataFile";
import type { FileSystem } from "../shell/filesystem";
import { repositoryOf } from "./tools";
import { WEB_SERVERS } from "./webservers";
import { AGNHOST_REPOSITORY, agnhostApp } from "./agnhost";
import type { V1Container } from "@kubernetes/client-node";

/**
 * The apps of Kubernetes in Action that the simulated containers run, reproduced from the book's
 * sources (luksa/kubernetes-in-action): their exact response texts, their log lines, and their
 * quirks (kubia-pet answers every method but POST like a GET and ignores the path).
 */

export interface AppRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** What the app sees of its container: `os.hostname()`, its data file, its stdout, and its peers. */
export interface AppEnvironment {
  hostname: string;
  file: DataFile;
  /** console.log: one line of the container's log. */
  log(line: string): void;
  /** request.connection.remoteAddress as node prints it (the API server's address, IPv4-mapped). */
  remoteAddress: string;
  /** kubia-pet-peers: `dns.resolveSrv` + `http.get(host:8080/data)` for each record. */
  peers?: PeerDiscovery;
  /** The container's files as its processes see them (web servers serve from them). */
  files?: () => FileSystem;
  /** The node's clock (cluster time), for the web servers' access log. */
  now?: () => number;
}

export interface PeerDiscovery {
  /** Resolves SRV records as node's dns.resolveSrv does; rejects with node's error text. */
  resolveSrv(name: string): Promise<{ name: string; port: number }[]>;
  /** GET http://<host>:<port><path>; resolves with the body, or rejects with node's error message. */
  httpGet(host: string, port: number, path: string): Promise<string>;
}

export interface AppResponse {
  status: number;
  body: string;
  /** The Location header of a redirect (the web servers' directory without its trailing slash). */
  location?: string;
}

/** The process died (an unhandled 'error' event): nothing is answered and these lines go to stderr. */
export class AppCrash extends Error {
  constructor(readonly stderr: string[]) {
    super(stderr.join("\n"));
  }
}

export interface KubiaApp {
  name: string;
  /** The TCP port the app listens on (`www.listen(8080)` in the book's apps). */
  port: number;
  /** What the app prints before it starts listening (the kubelet writes these when the container starts). */
  startupLines: string[];
  handle(req: AppRequest, env: AppEnvironment): Promise<AppResponse>;
}

/** node:7 (the book's base image) reporting an unhandled stream 'error' event, then exiting with code 1. */
function crashLines(error: FileSystemError): string[] {
  return ["events.js:160", "      throw er; // Unhandled 'error' event", "      ^", "", `Error: ${error.message}`, "    at Error (native)"];
}

/** `fs.createWriteStream(dataFile)` then `request.pipe(file)`: the body replaces the file. */
function storeBody(req: AppRequest, env: AppEnvironment): void {
  try {
    // readFileSync(dataFile, 'utf8') decodes it later, so keeping the UTF-8 text loses nothing visible.
    env.file.write(req.body.toString("utf8"));
  } catch (e) {
    if (e instanceof FileSystemError) throw new AppCrash(crashLines(e));
    throw e;
  }
}

/** Chapter10/kubia-pet-image/app.js — the StatefulSet chapter's app, the default for every image. */
export const kubiaPet: KubiaApp = {
  name: "kubia-pet",
  port: 8080,
  startupLines: [], // the app prints nothing until the first POST
  async handle(req, env) {
    if (req.method === "POST") {
      storeBody(req, env);
      env.log("New data has been received and stored.");
      return { status: 200, body: `Data stored on pod ${env.hostname}\n` };
    }
    const data = env.file.read() ?? "No data posted yet";
    return { status: 200, body: `You've hit ${env.hostname}\nData stored on this pod: ${data}\n` };
  },
};

/** Chapter02/kubia/app.js — the first app of the book (image luksa/kubia). */
export const kubiaBasic: KubiaApp = {
  name: "kubia",
  port: 8080,
  startupLines: ["Kubia server starting..."],
  async handle(_req, env) {
    env.log(`Received request from ${env.remoteAddress}`);
    return { status: 200, body: `You've hit ${env.hostname}\n` };
  },
};

/** The service the peers app hard-codes (`const serviceName = "kubia.default.svc.cluster.local"`). */
export const PEERS_SERVICE = "kubia.default.svc.cluster.local";

/** Chapter10/kubia-pet-peers-image/app.js — discovers its peers through the headless service's SRV records. */
export const kubiaPetPeers: KubiaApp = {
  name: "kubia-pet-peers",
  port: 8080,
  startupLines: [],
  async handle(req, env) {
    if (req.method === "POST") {
      storeBody(req, env);
      return { status: 200, body: `Data stored on pod ${env.hostname}\n` };
    }
    if (req.path === "/data") return { status: 200, body: env.file.read() ?? "No data posted yet" };
    let body = `You've hit ${env.hostname}\nData stored in the cluster:\n`;
    let peers: { name: string; port: number }[];
    try {
      peers = await env.peers!.resolveSrv(PEERS_SERVICE);
    } catch (e) {
      return { status: 200, body: body + `Could not look up DNS SRV records: ${(e as Error).toString()}` };
    }
    if (peers.length === 0) return { status: 200, body: body + "No peers discovered." };
    // The app asks every peer at once and writes each answer as it arrives; here they arrive in SRV order.
    const answers = await Promise.all(
      peers.map((p) => env.peers!.httpGet(p.name, 8080, "/data").catch((e: Error) => `Error: ${e.message}`)),
    );
    peers.forEach((p, i) => (body += `- ${p.name}: ${answers[i]}\n`));
    return { status: 200, body };
  },
};

/**
 * Which app an image runs. `luksa/kubia` and `luksa/kubia-pet-peers` run their own app, `httpd` and
 * `nginx` their web server (images/webservers.ts); every other image (the issue: "and by default any
 * image") runs kubia-pet.
 */
export function appForImage(image: string | undefined): KubiaApp {
  const repository = repositoryOf(image);
  if (repository === "luksa/kubia") return kubiaBasic;
  if (repository === "luksa/kubia-pet-peers") return kubiaPetPeers;
  return WEB_SERVERS[repository] ?? kubiaPet;
}

/** The app a container runs: its image's, or for agnhost the subcommand its args name. */
export function appForContainer(container: Pick<V1Container, "image" | "command" | "args">): KubiaApp {
  return repositoryOf(container.image) === AGNHOST_REPOSITORY ? agnhostApp(container) : appForImage(container.image);
}
