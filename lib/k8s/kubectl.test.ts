import { describe, expect, it } from "vitest";
import { kubectlFor, shellQuote } from "./kubectl";

describe("kubectlFor", () => {
  it("prints each action's kubectl command", () => {
    expect(kubectlFor.scale("default", "kubia", 3)).toBe("kubectl scale statefulset kubia --replicas=3 -n default");
    expect(kubectlFor.deletePod("default", "kubia-1")).toBe("kubectl delete pod kubia-1 -n default");
    expect(kubectlFor.deletePod("default", "kubia-1", { gracePeriodSeconds: 5 })).toBe("kubectl delete pod kubia-1 --grace-period=5 -n default");
    expect(kubectlFor.deletePod("default", "kubia-1", { force: true })).toBe("kubectl delete pod kubia-1 --force --grace-period=0 -n default");
    expect(kubectlFor.deletePvc("default", "data-kubia-1")).toBe("kubectl delete pvc data-kubia-1 -n default");
    expect(kubectlFor.readData("default", "kubia-0")).toBe("kubectl get --raw /api/v1/namespaces/default/pods/kubia-0/proxy/");
    expect(kubectlFor.failNode("k8s-node2")).toBe("kubectl annotate node k8s-node2 playground.k8s.io/down=true");
    expect(kubectlFor.recoverNode("k8s-node2")).toBe("kubectl annotate node k8s-node2 playground.k8s.io/down-");
    expect(kubectlFor.createDemo("default")).toBe("kubectl apply -f kubia.yaml -n default");
  });
  it("writes data through the pod proxy with the text quoted for a shell", () => {
    expect(kubectlFor.writeData("default", "kubia-1", "hello")).toBe("printf '%s' hello | kubectl create --raw /api/v1/namespaces/default/pods/kubia-1/proxy/ -f -");
    expect(kubectlFor.writeData("default", "kubia-1", "it's $HOME")).toBe(
      "printf '%s' 'it'\\''s $HOME' | kubectl create --raw /api/v1/namespaces/default/pods/kubia-1/proxy/ -f -",
    );
    expect(kubectlFor.writeDataWithProxy("default", "kubia-1", "a b")).toBe(
      "kubectl proxy --port=8001 & curl -X POST --data-binary 'a b' localhost:8001/api/v1/namespaces/default/pods/kubia-1/proxy/",
    );
  });
  it("shellQuote leaves plain words alone and quotes the rest", () => {
    expect(shellQuote("kubia-0")).toBe("kubia-0");
    expect(shellQuote("")).toBe("''");
    expect(shellQuote("a;rm -rf /")).toBe("'a;rm -rf /'");
  });
});
