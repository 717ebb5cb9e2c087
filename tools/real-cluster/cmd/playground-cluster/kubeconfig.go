package main

import (
	"os"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// ContextName is the kubeconfig context the tests and the dashboard select.
const ContextName = "real-playground"

// writeKubeconfig writes a client-certificate kubeconfig with the credentials embedded, so the
// file works on its own (kubectl, @kubernetes/client-node) wherever it is copied.
func writeKubeconfig(path, server string, p pki, identityFile string) error {
	ca, err := os.ReadFile(p.path("ca.crt"))
	if err != nil {
		return err
	}
	cert, err := os.ReadFile(p.path(identityFile + ".crt"))
	if err != nil {
		return err
	}
	key, err := os.ReadFile(p.path(identityFile + ".key"))
	if err != nil {
		return err
	}
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters[ContextName] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: ca}
	cfg.AuthInfos[ContextName] = &clientcmdapi.AuthInfo{ClientCertificateData: cert, ClientKeyData: key}
	cfg.Contexts[ContextName] = &clientcmdapi.Context{Cluster: ContextName, AuthInfo: ContextName, Namespace: "default"}
	cfg.CurrentContext = ContextName
	return clientcmd.WriteToFile(*cfg, path)
}

func restConfigFromKubeconfig(path string) (*rest.Config, error) {
	cfg, err := clientcmd.BuildConfigFromFlags("", path)
	if err != nil {
		return nil, err
	}
	cfg.QPS = 100
	cfg.Burst = 200
	return cfg, nil
}
