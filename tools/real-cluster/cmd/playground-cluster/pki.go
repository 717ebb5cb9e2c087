package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// pki is the set of credentials of one cluster incarnation, written under <state>/pki.
// Every `up` of a fresh cluster mints new ones, so nothing secret outlives the cluster.
type pki struct {
	dir string
}

// identity is a client certificate subject: CommonName is the user, Organization the groups.
type identity struct {
	file   string
	user   string
	groups []string
}

// The admin and KWOK are cluster-admins (system:masters); the controller manager and the scheduler
// use the identities the RBAC bootstrap policy already grants their permissions to, as on kubeadm.
var clientIdentities = []identity{
	{file: "admin", user: "playground-admin", groups: []string{"system:masters"}},
	{file: "kwok", user: "kwok-controller", groups: []string{"system:masters"}},
	{file: "volume-provisioner", user: "volume-provisioner", groups: []string{"system:masters"}},
	{file: "kube-controller-manager", user: "system:kube-controller-manager"},
	{file: "kube-scheduler", user: "system:kube-scheduler"},
}

func (p pki) path(name string) string { return filepath.Join(p.dir, name) }

// generate writes ca.{crt,key}, apiserver.{crt,key}, one client pair per identity and the
// service-account signing key pair sa.{key,pub}.
func (p pki) generate() error {
	if err := os.MkdirAll(p.dir, 0o700); err != nil {
		return err
	}
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	caTemplate := certTemplate("playground-ca", nil)
	caTemplate.IsCA = true
	caTemplate.BasicConstraintsValid = true
	caTemplate.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	if err != nil {
		return err
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return err
	}
	if err := writePair(p.path("ca"), caDER, caKey); err != nil {
		return err
	}
	ca := signer{cert: caCert, key: caKey}

	serving := certTemplate("kube-apiserver", nil)
	serving.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	serving.DNSNames = []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"}
	serving.IPAddresses = []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("10.96.0.1")}
	if err := ca.issue(p.path("apiserver"), serving); err != nil {
		return err
	}
	for _, id := range clientIdentities {
		client := certTemplate(id.user, id.groups)
		client.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		if err := ca.issue(p.path(id.file), client); err != nil {
			return err
		}
	}
	return p.generateServiceAccountKey()
}

// The service-account key is RSA: the one algorithm every token consumer accepts (RS256).
func (p pki) generateServiceAccountKey() error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return err
	}
	if err := writePEM(p.path("sa.key"), "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key), 0o600); err != nil {
		return err
	}
	return writePEM(p.path("sa.pub"), "PUBLIC KEY", pub, 0o644)
}

type signer struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func (s signer) issue(base string, template *x509.Certificate) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	template.KeyUsage = x509.KeyUsageDigitalSignature
	der, err := x509.CreateCertificate(rand.Reader, template, s.cert, &key.PublicKey, s.key)
	if err != nil {
		return fmt.Errorf("issue %s: %w", template.Subject.CommonName, err)
	}
	return writePair(base, der, key)
}

func certTemplate(commonName string, organizations []string) *x509.Certificate {
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	now := time.Now()
	return &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: commonName, Organization: organizations},
		NotBefore:    now.Add(-time.Hour), // tolerate small clock differences
		NotAfter:     now.Add(365 * 24 * time.Hour),
	}
}

func writePair(base string, der []byte, key *ecdsa.PrivateKey) error {
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	if err := writePEM(base+".crt", "CERTIFICATE", der, 0o644); err != nil {
		return err
	}
	return writePEM(base+".key", "EC PRIVATE KEY", keyDER, 0o600)
}

func writePEM(path, blockType string, der []byte, mode os.FileMode) error {
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der}), mode)
}
