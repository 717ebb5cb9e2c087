import { describe, expect, it } from "vitest";
import { proxyToPod } from "../proxy";
import { request, runningPod } from "../testing/fixtures";
import { echoArguments, formatDate, printfFormat } from "./commands";
import { execIn, kubiaWorld } from "../testing/shell";

/** Runs a `sh -c` script in kubia-0 of a fresh world. */
async function sh(script: string, setup?: (w: ReturnType<typeof kubiaWorld>) => void) {
  const world = kubiaWorld();
  setup?.(world);
  return { ...(await execIn(world.ctx, "kubia-0", script)), world };
}

describe("files on the volume", () => {
  it("cat shows what the app stored; writes are what the app then serves", async () => {
    const world = kubiaWorld();
    world.ctx.volumes.write("pvc-0", "posted through the pod proxy");
    expect(await execIn(world.ctx, "kubia-0", ["cat", "/var/data/kubia.txt"])).toEqual({ stdout: "posted through the pod proxy", stderr: "", code: 0 });
    await execIn(world.ctx, "kubia-0", "echo hi > /var/data/kubia.txt; echo there >> /var/data/kubia.txt");
    const answer = await proxyToPod(world.ctx, world.pods["kubia-0"], undefined, request());
    expect(answer.body.toString()).toBe("You've hit kubia-0\nData stored on this pod: hi\nthere\n\n");
  });

  it("ls -l lists like GNU ls, with total and aligned columns", async () => {
    const r = await sh("mkdir /var/data/logs && echo 12345 > /var/data/kubia.txt && ls -l /var/data", (w) => w.ctx.clock.advance(60_000));
    expect(r.stdout).toBe("total 8\n-rw-r--r-- 1 root root    6 Jan  1 00:01 kubia.txt\ndrwxr-xr-x 2 root root 4096 Jan  1 00:01 logs\n");
    const all = await sh("ls -a /var/data; ls -A /var/data; ls -1 /nope /etc/hostname");
    expect(all.stdout).toBe(".\n..\n/etc/hostname\n");
    expect(all.stderr).toBe("ls: cannot access /nope: No such file or directory\n");
    expect(all.code).toBe(2);
  });

  it("mkdir, touch, rm and rmdir report failures as coreutils do", async () => {
    const r = await sh(
      "mkdir /var/data/a; mkdir /var/data/a; mkdir -p /var/data/b/c; touch /var/data/b/c/f /nope/x; rm /var/data/b; rmdir /var/data/b; rm -r /var/data/b; rm /var/data/x; rm -f /var/data/x; ls /var/data",
    );
    expect(r.stderr).toBe(
      [
        "mkdir: cannot create directory '/var/data/a': File exists",
        "touch: cannot touch '/nope/x': No such file or directory",
        "rm: cannot remove '/var/data/b': Is a directory",
        "rmdir: failed to remove '/var/data/b': Directory not empty",
        "rm: cannot remove '/var/data/x': No such file or directory",
        "",
      ].join("\n"),
    );
    expect(r.stdout).toBe("a\n");
  });

  it("keeps a file created on the volume in the PV's data, beside the app's file", async () => {
    const r = await sh("echo note > /var/data/note.txt");
    expect(r.code).toBe(0);
    expect(r.world.ctx.volumes.names()).toContain("pvc-0/note.txt");
    expect(r.world.ctx.volumes.read("pvc-0/note.txt")).toBe("note\n");
  });

  it("refuses writes to a read-only mount", async () => {
    const world = kubiaWorld();
    runningPod(world.ctx, { name: "reader", ip: "10.1.2.20", data: "data-kubia-0", readOnly: true });
    const r = await execIn(world.ctx, "reader", "cat /var/data/kubia.txt; echo x > /var/data/kubia.txt; touch /var/data/y");
    expect(r.stderr).toBe("cat: /var/data/kubia.txt: No such file or directory\nsh: 1: cannot create /var/data/kubia.txt: Read-only file system\ntouch: cannot touch '/var/data/y': Read-only file system\n");
  });
});

describe("text tools", () => {
  it("head, tail and wc count like GNU", async () => {
    const r = await sh("printf 'a\\nb\\nc\\n' > /tmp/f; head -n 2 /tmp/f; tail -1 /tmp/f; wc /tmp/f; wc -l < /tmp/f; cat /tmp/f | wc -c");
    expect(r.stdout).toBe("a\nb\nc\n3 3 6 /tmp/f\n3\n6\n");
  });

  it("grep and sort filter a pipeline", async () => {
    const r = await sh("env | grep ^KUBIA_PUBLIC_SERVICE | sort -r; echo x | grep -c y");
    expect(r.stdout).toBe("KUBIA_PUBLIC_SERVICE_PORT_HTTP=80\nKUBIA_PUBLIC_SERVICE_PORT=80\nKUBIA_PUBLIC_SERVICE_HOST=10.96.100.1\n0\n");
    expect(r.code).toBe(1);
  });

  it("echo: dash's builtin interprets backslashes, GNU /bin/echo only with -e", async () => {
    expect(echoArguments(["-n", "a\\tb"], "dash")).toBe("a\tb");
    expect(echoArguments(["a\\tb"], "gnu")).toBe("a\\tb\n");
    expect(echoArguments(["-e", "a\\tb\\c", "ignored"], "gnu")).toBe("a\tb");
    expect(printfFormat("%s=%03d\\n", ["a", "7", "b", "12"])).toBe("a=007\nb=012\n");
  });

  it("date prints the cluster clock in UTC", async () => {
    expect(formatDate(Date.UTC(2026, 0, 5, 9, 3, 7), "%a %b %e %H:%M:%S %Z %Y")).toBe("Mon Jan  5 09:03:07 UTC 2026");
    expect((await sh("date +%F")).stdout).toBe("2026-01-01\n");
  });
});

describe("the container's identity", () => {
  it("hostname, /etc/hosts, resolv.conf and env are what the kubelet and runtime set up", async () => {
    const r = await sh("hostname; hostname -f; hostname -i; cat /etc/hostname; tail -1 /etc/hosts; cat /etc/resolv.conf; printenv HOSTNAME HOME NODE_VERSION");
    expect(r.stdout).toBe(
      [
        "kubia-0",
        "kubia-0.kubia.default.svc.cluster.local",
        "10.1.2.10",
        "kubia-0",
        "10.1.2.10\tkubia-0.kubia.default.svc.cluster.local\tkubia-0",
        "search default.svc.cluster.local svc.cluster.local cluster.local",
        "nameserver 10.96.0.10",
        "options ndots:5",
        "kubia-0",
        "/root",
        "7.10.1",
        "",
      ].join("\n"),
    );
  });

  it("shows the book's app at /app.js, read from the image", async () => {
    const r = await sh("head -n 5 /app.js");
    expect(r.stdout).toBe("const http = require('http');\nconst os = require('os');\nconst fs = require('fs');\n\nconst dataFile = \"/var/data/kubia.txt\";\n");
  });
});

describe("the shell", () => {
  it("sequences with ; && || and keeps $?", async () => {
    const r = await sh("false; echo $?; true && echo yes || echo no; false && echo no || echo fallback; ! false && echo negated");
    expect(r.stdout).toBe("1\nyes\nfallback\nnegated\n");
  });

  it("expands variables, $(…), ~ and globs; quotes stop them", async () => {
    const r = await sh("X='a  b'; echo $X \"$X\" '$X' ~ $(hostname) /etc/host*; cd /var; echo $PWD; cd data && pwd");
    expect(r.stdout).toBe("a b a  b $X /root kubia-0 /etc/hostname /etc/hosts\n/var\n/var/data\n");
  });

  it("reports unknown commands and bad redirections as dash does", async () => {
    const r = await sh("foo; echo x > /nope/y; cat < /nope; cd /nope");
    expect(r.stderr).toBe("sh: 1: foo: not found\nsh: 1: cannot create /nope/y: Directory nonexistent\nsh: 1: cannot open /nope: No such file\nsh: 1: cd: can't cd to /nope\n");
    expect(r.code).toBe(2);
    expect((await sh("foo")).code).toBe(127);
  });

  it("says plainly which programs of the image it does not simulate", async () => {
    const r = await sh("node -v");
    expect(r).toMatchObject({ stderr: "node: this program is in the real image but not simulated by the playground\n", code: 126 });
  });

  it("runs bash with bash's messages", async () => {
    const world = kubiaWorld();
    const r = await execIn(world.ctx, "kubia-0", ["bash", "-c", "foo; echo -e 'a\\tb'; cd /nope"]);
    expect(r.stderr).toBe("bash: foo: command not found\nbash: cd: /nope: No such file or directory\n");
    expect(r.stdout).toBe("a\tb\n");
  });
});
