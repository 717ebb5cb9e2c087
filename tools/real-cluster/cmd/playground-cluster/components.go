package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	_ "embed"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"text/template"
	"time"

	"k8s.io/component-base/version"
)

//go:embed assets/kwok.yaml.tmpl
var kwokConfigTemplate string

func (sup *supervisor) startEtcd(ctx context.Context) error {
	err := sup.launch("etcd",
		"--data-dir", sup.dir("etcd"),
		"--listen-client-url", fmt.Sprintf("http://127.0.0.1:%d", sup.ports.Etcd),
		"--listen-peer-url", fmt.Sprintf("http://127.0.0.1:%d", sup.ports.EtcdPeer),
	)
	if err != nil {
		return err
	}
	return sup.waitHTTP(ctx, "etcd", fmt.Sprintf("http://127.0.0.1:%d/health", sup.ports.Etcd), plainClient())
}

func (sup *supervisor) startAPIServer(ctx context.Context) error {
	p := sup.pki
	err := sup.launch("kube-apiserver",
		"--etcd-servers", fmt.Sprintf("http://127.0.0.1:%d", sup.ports.Etcd),
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port", strconv.Itoa(sup.ports.APIServer),
		"--cert-dir", sup.dir("components", "apiserver-certs"),
		"--tls-cert-file", p.path("apiserver.crt"),
		"--tls-private-key-file", p.path("apiserver.key"),
		"--client-ca-file", p.path("ca.crt"),
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file", p.path("sa.pub"),
		"--service-account-signing-key-file", p.path("sa.key"),
		"--service-cluster-ip-range=10.96.0.0/12",
		"--authorization-mode=Node,RBAC",
		// As kubeadm: reach kubelets (exec, logs, port-forward) at their InternalIP, here on loopback
		// (bootstrap.go), never by resolving the node's name through the host's resolver.
		"--kubelet-preferred-address-types=InternalIP",
		"--allow-privileged=true",
		// The apiserver would publish 127.0.0.1 as the endpoint of Service "kubernetes", which
		// Endpoints validation rejects (loopback); nothing in this cluster dials it anyway.
		"--endpoint-reconciler-type=none",
		"--profiling=false",
		"--v=1",
	)
	if err != nil {
		return err
	}
	client, err := sup.caClient()
	if err != nil {
		return err
	}
	return sup.waitHTTP(ctx, "kube-apiserver", sup.state.Server+"/readyz", client)
}

func (sup *supervisor) startControllerManager(ctx context.Context) error {
	p := sup.pki
	kubeconfig := sup.componentKubeconfig("kube-controller-manager")
	err := sup.launch("kube-controller-manager",
		"--kubeconfig", kubeconfig,
		"--authentication-kubeconfig", kubeconfig,
		"--authorization-kubeconfig", kubeconfig,
		"--bind-address=127.0.0.1",
		"--secure-port", strconv.Itoa(sup.ports.ControllerManager),
		"--cert-dir", sup.dir("components", "kube-controller-manager-certs"),
		"--leader-elect=false",
		"--cluster-name=playground",
		// One identity per controller, minted through the TokenRequest API, as kubeadm does.
		"--use-service-account-credentials=true",
		"--service-account-private-key-file", p.path("sa.key"),
		"--root-ca-file", p.path("ca.crt"),
		"--cluster-signing-cert-file", p.path("ca.crt"),
		"--cluster-signing-key-file", p.path("ca.key"),
		"--node-monitor-period=2s",
		"--node-monitor-grace-period", sup.s.nodeGracePeriod.String(),
		"--kube-api-qps=100",
		"--kube-api-burst=200",
		"--v=1",
	)
	if err != nil {
		return err
	}
	return sup.waitHTTP(ctx, "kube-controller-manager", fmt.Sprintf("https://127.0.0.1:%d/healthz", sup.ports.ControllerManager), insecureClient())
}

func (sup *supervisor) startScheduler(ctx context.Context) error {
	kubeconfig := sup.componentKubeconfig("kube-scheduler")
	err := sup.launch("kube-scheduler",
		"--kubeconfig", kubeconfig,
		"--authentication-kubeconfig", kubeconfig,
		"--authorization-kubeconfig", kubeconfig,
		"--bind-address=127.0.0.1",
		"--secure-port", strconv.Itoa(sup.ports.Scheduler),
		"--cert-dir", sup.dir("components", "kube-scheduler-certs"),
		"--leader-elect=false",
		"--v=1",
	)
	if err != nil {
		return err
	}
	return sup.waitHTTP(ctx, "kube-scheduler", fmt.Sprintf("https://127.0.0.1:%d/healthz", sup.ports.Scheduler), insecureClient())
}

// startKwok starts one KWOK process per node: each plays exactly one kubelet, so a node fails
// the way a kubelet does, by its process going away (see nodefaults.go).
func (sup *supervisor) startKwok(_ context.Context) error {
	if err := os.WriteFile(sup.kwokConfigPath(), []byte(sup.renderKwokConfig()), 0o644); err != nil {
		return err
	}
	for _, node := range sup.state.Nodes {
		if err := sup.startNodeKwok(node); err != nil {
			return err
		}
	}
	return nil
}

func (sup *supervisor) kwokConfigPath() string { return sup.dir("components", "kwok.yaml") }

func kwokProcessName(node string) string { return "kwok-" + node }

func (sup *supervisor) startNodeKwok(node string) error {
	index := slices.Index(sup.state.Nodes, node) + 1
	return sup.launchAs(kwokProcessName(node), "kwok",
		"--kubeconfig", sup.componentKubeconfig("kwok"),
		"--config", sup.kwokConfigPath(),
		"--manage-single-node", node,
		"--cidr", podCIDR(index),
		"--node-lease-duration-seconds", strconv.Itoa(sup.s.leaseDurationSeconds),
	)
}

func (sup *supervisor) startVolumeProvisioner(_ context.Context) error {
	return sup.launch("volume-provisioner",
		"--kubeconfig", sup.componentKubeconfig("volume-provisioner"),
		"--hostpath-root", sup.dir("volumes"),
	)
}

type kwokTemplateValues struct {
	LeaseDurationSeconds int
	PodCreateDelayMs     int64
	PodReadyDelayMs      int64
	GraceDeadlineJQ      string
	KubeVersion          string
}

func (sup *supervisor) renderKwokConfig() string {
	values := kwokTemplateValues{
		LeaseDurationSeconds: sup.s.leaseDurationSeconds,
		PodCreateDelayMs:     sup.s.podCreateDelay.Milliseconds(),
		PodReadyDelayMs:      sup.s.podReadyDelay.Milliseconds(),
		GraceDeadlineJQ:      graceDeadlineJQ(sup.s.graceScale),
		KubeVersion:          version.Get().GitVersion,
	}
	var out bytes.Buffer
	tmpl := template.Must(template.New("kwok").Delims("[[", "]]").Parse(kwokConfigTemplate))
	if err := tmpl.Execute(&out, values); err != nil {
		panic(err) // the template is embedded: a failure is a bug caught by the unit test
	}
	return out.String()
}

// graceDeadlineJQ is the moment a Terminating pod is removed. The API server sets
// deletionTimestamp = time of the delete request + grace period; a scale s shortens (or lengthens)
// the wait to s × grace: deadline = deletionTimestamp - grace × (1 - s).
func graceDeadlineJQ(scale float64) string {
	if scale == 1 {
		return ".metadata.deletionTimestamp"
	}
	return fmt.Sprintf("(.metadata.deletionTimestamp | fromdateiso8601) - ((.metadata.deletionGracePeriodSeconds // 0) * (1 - %g)) | todateiso8601", scale)
}

// waitHTTP polls url until it answers 200, failing early when the component has exited.
func (sup *supervisor) waitHTTP(ctx context.Context, name, url string, client *http.Client) error {
	var last string
	for {
		if c := sup.children[name]; c != nil && c.exited() {
			return fmt.Errorf("%s exited during startup (%v); see %s", name, c.err, sup.dir("logs", name+".log"))
		}
		resp, err := client.Get(url)
		if err == nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = fmt.Sprintf("HTTP %d: %s", resp.StatusCode, bytes.TrimSpace(body))
		} else {
			last = err.Error()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s not healthy at %s: %s (%w)", name, url, last, ctx.Err())
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func (sup *supervisor) caClient() (*http.Client, error) {
	ca, err := os.ReadFile(sup.pki.path("ca.crt"))
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	return &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}, nil
}

func plainClient() *http.Client { return &http.Client{Timeout: 2 * time.Second} }

// The controller manager and the scheduler serve /healthz with a self-signed certificate of
// their own; only liveness is checked here, over loopback.
func insecureClient() *http.Client {
	return &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
}
