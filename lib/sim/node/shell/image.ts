import { type Entry, S_IFCHR, S_IFDIR, S_IFREG } from "./filesystem";
import { WEB_SERVER_FILES } from "../images/webservers";

/**
 * What the book's images contain (Debian 8 "jessie" under node:7, plus the app at /app.js:
 * `ADD app.js /app.js`, `ENTRYPOINT ["node", "app.js"]`), reduced to what a student looks at, and the
 * files the kubelet and the runtime put in every container (/etc/hosts, /etc/hostname, /etc/resolv.conf).
 */

/** When the image's files were written: the images are from the book's time; the exact day is not known. */
export const IMAGE_BUILT_AT = Date.UTC(2017, 5, 26, 9, 0, 0);

/** Executables on the image's PATH and what each runs; `notSimulated` ones exist in the image but not here. */
export const EXECUTABLES: Record<string, string> = {
  "/bin/bash": "bash",
  "/bin/cat": "cat",
  "/bin/date": "date",
  "/bin/dd": "dd",
  "/bin/dash": "sh",
  "/bin/echo": "echo",
  "/bin/grep": "grep",
  "/bin/false": "false",
  "/bin/hostname": "hostname",
  "/bin/ln": "ln",
  "/bin/ls": "ls",
  "/bin/mkdir": "mkdir",
  "/bin/mv": "mv",
  "/bin/pwd": "pwd",
  "/bin/rm": "rm",
  "/bin/rmdir": "rmdir",
  "/bin/sh": "sh",
  "/bin/sleep": "sleep",
  "/bin/touch": "touch",
  "/bin/true": "true",
  "/bin/uname": "uname",
  "/bin/ps": "ps",
  "/bin/ping": "ping",
  "/bin/tar": "tar",
  "/usr/bin/[": "[",
  "/usr/bin/curl": "curl",
  "/usr/bin/env": "env",
  "/usr/bin/find": "find",
  "/usr/bin/head": "head",
  "/usr/bin/id": "id",
  "/usr/bin/nslookup": "nslookup",
  "/usr/bin/printenv": "printenv",
  "/usr/bin/sort": "sort",
  "/usr/bin/tail": "tail",
  "/usr/bin/test": "test",
  "/usr/bin/wc": "wc",
  "/usr/bin/whoami": "whoami",
  "/usr/bin/wget": "wget",
  "/usr/bin/dig": "dig",
  "/usr/bin/host": "host",
  "/usr/bin/vi": "vi",
  "/usr/bin/apt-get": "apt-get",
  "/usr/local/bin/node": "node",
  "/usr/local/bin/npm": "npm",
};

/** The image's PATH (node:7 sets no PATH of its own; this is Debian's default). */
export const IMAGE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** ENV lines of the node:7 image the book's apps are built on. */
export const IMAGE_ENV: [string, string][] = [
  ["NPM_CONFIG_LOGLEVEL", "info"],
  ["NODE_VERSION", "7.10.1"],
];

/** The helper both data-keeping apps of the book define, as they write it. */
const FILE_EXISTS = `function fileExists(file) {
  try {
    fs.statSync(file);
    return true;
  } catch (e) {
    return false;
  }
}`;

const KUBIA_PET_APP = `const http = require('http');
const os = require('os');
const fs = require('fs');

const dataFile = "/var/data/kubia.txt";

${FILE_EXISTS}

var handler = function(request, response) {
  if (request.method == 'POST') {
    var file = fs.createWriteStream(dataFile);
    file.on('open', function (fd) {
      request.pipe(file);
      console.log("New data has been received and stored.");
      response.writeHead(200);
      response.end("Data stored on pod " + os.hostname() + "\\n");
    });
  } else {
    var data = fileExists(dataFile) ? fs.readFileSync(dataFile, 'utf8') : "No data posted yet";
    response.writeHead(200);
    response.write("You've hit " + os.hostname() + "\\n");
    response.end("Data stored on this pod: " + data + "\\n");
  }
};

var www = http.createServer(handler);
www.listen(8080);
`;

const KUBIA_APP = `const http = require('http');
const os = require('os');

console.log("Kubia server starting...");

var handler = function(request, response) {
  console.log("Received request from " + request.connection.remoteAddress);
  response.writeHead(200);
  response.end("You've hit " + os.hostname() + "\\n");
};

var www = http.createServer(handler);
www.listen(8080);
`;

const KUBIA_PET_PEERS_APP = `const http = require('http');
const os = require('os');
const fs = require('fs');
const dns = require('dns');

const dataFile = "/var/data/kubia.txt";
const serviceName = "kubia.default.svc.cluster.local";
const port = 8080;


${FILE_EXISTS}

function httpGet(reqOptions, callback) {
  return http.get(reqOptions, function(response) {
    var body = '';
    response.on('data', function(d) { body += d; });
    response.on('end', function() { callback(body); });
  }).on('error', function(e) {
    callback("Error: " + e.message);
  });
}

var handler = function(request, response) {
  if (request.method == 'POST') {
    var file = fs.createWriteStream(dataFile);
    file.on('open', function (fd) {
      request.pipe(file);
      response.writeHead(200);
      response.end("Data stored on pod " + os.hostname() + "\\n");
    });
  } else {
    response.writeHead(200);
    if (request.url == '/data') {
      var data = fileExists(dataFile) ? fs.readFileSync(dataFile, 'utf8') : "No data posted yet";
      response.end(data);
    } else {
      response.write("You've hit " + os.hostname() + "\\n");
      response.write("Data stored in the cluster:\\n");
      dns.resolveSrv(serviceName, function (err, addresses) {
        if (err) {
          response.end("Could not look up DNS SRV records: " + err);
          return;
        }
        var numResponses = 0;
        if (addresses.length == 0) {
          response.end("No peers discovered.");
        } else {
          addresses.forEach(function (item) {
            var requestOptions = {
              host: item.name,
              port: port,
              path: '/data'
            };
            httpGet(requestOptions, function (returnedData) {
              numResponses++;
              response.write("- " + item.name + ": " + returnedData + "\\n");
              if (numResponses == addresses.length) {
                response.end();
              }
            });
          });
        }
      });
    }
  }
};

var www = http.createServer(handler);
www.listen(port);
`;

/** The app's source by the app the image runs (lib/sim/node/images/kubia.ts names). */
export const APP_SOURCES: Record<string, string> = { "kubia-pet": KUBIA_PET_APP, kubia: KUBIA_APP, "kubia-pet-peers": KUBIA_PET_PEERS_APP };

const OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 8 (jessie)"
NAME="Debian GNU/Linux"
VERSION_ID="8"
VERSION="8 (jessie)"
ID=debian
HOME_URL="http://www.debian.org/"
SUPPORT_URL="http://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
`;

const DIRECTORIES = [
  "bin", "boot", "dev", "etc", "home", "lib", "lib64", "media", "mnt", "opt", "proc", "root", "run", "sbin", "srv", "sys", "tmp",
  "usr", "usr/bin", "usr/lib", "usr/local", "usr/local/bin", "usr/local/lib", "usr/sbin", "usr/share",
  "var", "var/cache", "var/lib", "var/log", "var/tmp",
];

/** What the kubelet and the runtime write for a pod (kubelet_pods.go managedHostsFileContent; containerd's resolv.conf). */
export interface PodFiles {
  hostname: string;
  /** `<subdomain>.<namespace>.svc.<cluster domain>` when the pod has a subdomain. */
  hostDomain: string;
  podIPs: string[];
  namespace: string;
  clusterDomain: string;
  nameserver: string;
}

export function hostsFile(f: PodFiles): string {
  let text = "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n";
  for (const ip of f.podIPs) text += f.hostDomain ? `${ip}\t${f.hostname}.${f.hostDomain}\t${f.hostname}\n` : `${ip}\t${f.hostname}\n`;
  return text;
}

/** ClusterFirst DNS: the pod's namespace first in the search path, then the cluster's, `ndots:5`. */
export function searchDomains(f: Pick<PodFiles, "namespace" | "clusterDomain">): string[] {
  return [`${f.namespace}.svc.${f.clusterDomain}`, `svc.${f.clusterDomain}`, f.clusterDomain];
}

export function resolvConf(f: PodFiles): string {
  return `search ${searchDomains(f).join(" ")}\nnameserver ${f.nameserver}\noptions ndots:5\n`;
}

/** The image's files for one container, keyed by path without the leading "/" ("" is the root). */
export function imageEntries(appName: string, files: PodFiles, startedAt: number): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  const dir = (mode = 0o755): Entry => ({ type: "dir", mode: S_IFDIR | mode, mtime: IMAGE_BUILT_AT });
  const file = (content: string, mode = 0o644, mtime = IMAGE_BUILT_AT): Entry => ({ type: "file", content, mode: S_IFREG | mode, mtime });
  entries.set("", dir());
  for (const d of DIRECTORIES) entries.set(d, dir(d === "tmp" || d === "var/tmp" ? 0o1777 : d === "root" ? 0o700 : 0o755));
  for (const path of Object.keys(EXECUTABLES)) entries.set(path.slice(1), file(`\u007fELF (${path}: a binary of the image)\n`, 0o755));
  entries.set("dev/null", { type: "device", mode: S_IFCHR | 0o666, mtime: startedAt });
  entries.set("dev/zero", { type: "device", mode: S_IFCHR | 0o666, mtime: startedAt, device: "zero" });
  entries.set("etc/os-release", file(OS_RELEASE));
  // Bind-mounted by the kubelet / written by the runtime when the pod started.
  entries.set("etc/hostname", file(`${files.hostname}\n`, 0o644, startedAt));
  entries.set("etc/hosts", file(hostsFile(files), 0o644, startedAt));
  entries.set("etc/resolv.conf", file(resolvConf(files), 0o644, startedAt));
  const served = WEB_SERVER_FILES[appName];
  if (!served) entries.set("app.js", file(APP_SOURCES[appName] ?? APP_SOURCES["kubia-pet"]));
  for (const [path, content] of Object.entries(served ?? {})) {
    // The directories on the way to a served file (usr/local/apache2/htdocs, usr/share/nginx/html).
    path.split("/").slice(0, -1).forEach((_s, i, parts) => {
      const d = parts.slice(0, i + 1).join("/");
      if (!entries.has(d)) entries.set(d, dir());
    });
    entries.set(path, file(content));
  }
  return entries;
}
