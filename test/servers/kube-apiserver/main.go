// Command kube-apiserver is a self-contained Kubernetes API server for integration
// tests: it runs etcd in-process (go.etcd.io/etcd/server/v3/embed) on loopback ports
// and then the real kube-apiserver command on top of it, with x509 client
// authentication and RBAC authorization, much like controller-runtime's envtest.
//
// Usage:
//
//	kube-apiserver serve --data-dir DIR [--secure-port N] [-- extra kube-apiserver flags]
//	kube-apiserver kubeconfig --pki-dir DIR --server URL --user NAME [--group G]... --out FILE
//
// "serve" creates DIR/pki on first use (a throwaway CA, a serving certificate for
// 127.0.0.1/localhost, an admin client certificate in group system:masters and a
// service-account signing key) and writes DIR/pki/admin.kubeconfig. Everything
// (certificates, ports, etcd data) is kept in DIR, so starting it again with the same
// DIR gives the same server with the same data.
//
// "kubeconfig" issues a client certificate signed by that CA for an arbitrary user
// and groups, and writes a kubeconfig for it: handy for RBAC tests.
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // for timeZone support in CronJob

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"          // for JSON log format registration
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // load all the prometheus client-go plugins
	_ "k8s.io/component-base/metrics/prometheus/version"  // for version metric registration
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "serve":
		var code int
		code, err = serve(os.Args[2:])
		if err == nil {
			os.Exit(code)
		}
	case "kubeconfig":
		err = issueKubeconfig(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "kube-apiserver %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, `usage:
  kube-apiserver serve --data-dir DIR [--secure-port N] [--etcd-log-level LEVEL] [-- kube-apiserver flags...]
  kube-apiserver kubeconfig --pki-dir DIR --server URL --user NAME [--group G]... --out FILE`)
	os.Exit(2)
}

// ports are chosen once and kept in the data directory, so that a restarted server
// (and its etcd member, whose peer URL is recorded in its data) gets the same ones.
type ports struct {
	Secure     int `json:"secure"`
	EtcdClient int `json:"etcdClient"`
	EtcdPeer   int `json:"etcdPeer"`
}

func serve(args []string) (int, error) {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	dataDir := fs.String("data-dir", "", "directory for certificates, etcd data and state (required)")
	securePort := fs.Int("secure-port", 0, "HTTPS port on 127.0.0.1 (0: reuse the one recorded in --data-dir, or pick a free one)")
	etcdLogLevel := fs.String("etcd-log-level", "error", "log level of the embedded etcd")
	exitWithStdin := fs.Bool("exit-with-stdin", false, "shut down when standard input closes (so a server never outlives the test process that started it)")
	if err := fs.Parse(args); err != nil {
		return 0, err
	}
	if *dataDir == "" {
		return 0, errors.New("--data-dir is required")
	}
	dir, err := filepath.Abs(*dataDir)
	if err != nil {
		return 0, err
	}
	pkiDir := filepath.Join(dir, "pki")
	if err := os.MkdirAll(pkiDir, 0o700); err != nil {
		return 0, err
	}

	p, err := loadPorts(filepath.Join(dir, "ports.json"), *securePort)
	if err != nil {
		return 0, err
	}
	if err := ensurePKI(pkiDir); err != nil {
		return 0, fmt.Errorf("creating certificates: %w", err)
	}
	server := fmt.Sprintf("https://127.0.0.1:%d", p.Secure)
	ca, _, err := loadCA(pkiDir)
	if err != nil {
		return 0, err
	}
	if err := writeKubeconfigFiles(filepath.Join(pkiDir, "admin.kubeconfig"), server, "admin", ca,
		filepath.Join(pkiDir, "admin.crt"), filepath.Join(pkiDir, "admin.key")); err != nil {
		return 0, err
	}

	etcd, err := startEtcd(filepath.Join(dir, "etcd"), p, *etcdLogLevel)
	if err != nil {
		return 0, fmt.Errorf("starting embedded etcd: %w", err)
	}
	defer etcd.Close()
	go func() {
		// If etcd stops on its own, the API server cannot work: fail loudly.
		if err, ok := <-etcd.Err(); ok && err != nil {
			fmt.Fprintf(os.Stderr, "embedded etcd failed: %v\n", err)
			os.Exit(1)
		}
	}()

	kubeArgs := []string{
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(p.Secure),
		"--etcd-servers=" + fmt.Sprintf("http://127.0.0.1:%d", p.EtcdClient),
		// Serving certificate signed by our CA (rather than a self-signed one from
		// --cert-dir), so that kubeconfigs verify the server.
		"--tls-cert-file=" + filepath.Join(pkiDir, "serving.crt"),
		"--tls-private-key-file=" + filepath.Join(pkiDir, "serving.key"),
		"--client-ca-file=" + filepath.Join(pkiDir, "ca.crt"),
		"--authorization-mode=RBAC",
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + filepath.Join(pkiDir, "sa.key"),
		"--service-account-signing-key-file=" + filepath.Join(pkiDir, "sa.key"),
		"--service-cluster-ip-range=10.0.0.0/24",
		"--disable-admission-plugins=ServiceAccount",
		"--allow-privileged=true",
		// The loopback advertise address cannot be written to the "kubernetes"
		// Endpoints object; nothing in a test needs it.
		"--endpoint-reconciler-type=none",
		"--enable-priority-and-fairness=false",
		"--profiling=false",
	}
	kubeArgs = append(kubeArgs, fs.Args()...)

	command := app.NewAPIServerCommand() // installs the SIGTERM/SIGINT handler
	if *exitWithStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
			time.Sleep(15 * time.Second)
			fmt.Fprintln(os.Stderr, "graceful shutdown took longer than 15s; exiting")
			os.Exit(1)
		}()
	}
	command.SetArgs(kubeArgs)
	return cli.Run(command), nil
}

func loadPorts(file string, secure int) (ports, error) {
	var p ports
	if b, err := os.ReadFile(file); err == nil {
		if err := json.Unmarshal(b, &p); err != nil {
			return p, fmt.Errorf("reading %s: %w", file, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return p, err
	}
	if secure != 0 {
		p.Secure = secure
	}
	for _, port := range []*int{&p.Secure, &p.EtcdClient, &p.EtcdPeer} {
		if *port == 0 {
			free, err := freePort()
			if err != nil {
				return p, err
			}
			*port = free
		}
	}
	b, _ := json.MarshalIndent(p, "", "  ")
	return p, os.WriteFile(file, b, 0o600)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func startEtcd(dir string, p ports, logLevel string) (*embed.Etcd, error) {
	cfg := embed.NewConfig()
	cfg.Name = "default"
	cfg.Dir = dir
	clientURL := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", p.EtcdClient)}
	peerURL := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", p.EtcdPeer)}
	cfg.ListenClientUrls = []url.URL{clientURL}
	cfg.AdvertiseClientUrls = []url.URL{clientURL}
	cfg.ListenPeerUrls = []url.URL{peerURL}
	cfg.AdvertisePeerUrls = []url.URL{peerURL}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.LogLevel = logLevel
	cfg.LogOutputs = []string{"stderr"}
	// Tests only lose the process, never the machine: the page cache keeps what
	// was written, so skipping fsync is safe and much faster.
	cfg.UnsafeNoFsync = true
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, err
	}
	select {
	case <-e.Server.ReadyNotify():
		return e, nil
	case err := <-e.Err():
		e.Close()
		return nil, err
	case <-time.After(60 * time.Second):
		e.Server.Stop()
		e.Close()
		return nil, errors.New("etcd did not become ready within 60s")
	}
}

// ---- certificates ----

func ensurePKI(dir string) error {
	caCrt := filepath.Join(dir, "ca.crt")
	if _, err := os.Stat(caCrt); err == nil {
		return nil
	}
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "runbridge-test-ca"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return err
	}

	servingTmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: "kube-apiserver"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames: []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
			"kubernetes.default.svc.cluster.local"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1"), net.ParseIP("10.0.0.1")},
	}
	if err := issue(dir, "serving", servingTmpl, ca, caKey); err != nil {
		return err
	}
	if err := issue(dir, "admin", clientTemplate("admin", []string{"system:masters"}), ca, caKey); err != nil {
		return err
	}

	saKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	if err := writeKey(filepath.Join(dir, "sa.key"), saKey); err != nil {
		return err
	}
	if err := writeKey(filepath.Join(dir, "ca.key"), caKey); err != nil {
		return err
	}
	// ca.crt last: its presence means the directory is complete.
	return writeAtomic(caCrt, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o644)
}

func clientTemplate(user string, groups []string) *x509.Certificate {
	now := time.Now()
	return &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: user, Organization: groups},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
	if err != nil {
		panic(err)
	}
	return n
}

// issue creates a key pair and a certificate from tmpl signed by ca, written to
// dir/name.crt and dir/name.key.
func issue(dir, name string, tmpl *x509.Certificate, ca *x509.Certificate, caKey *ecdsa.PrivateKey) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return err
	}
	if err := writeKey(filepath.Join(dir, name+".key"), key); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, name+".crt"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
}

func writeKey(file string, key *ecdsa.PrivateKey) error {
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	return writeAtomic(file, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600)
}

func writeAtomic(file string, data []byte, mode os.FileMode) error {
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, data, mode); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}

func loadCA(dir string) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	crtPEM, err := os.ReadFile(filepath.Join(dir, "ca.crt"))
	if err != nil {
		return nil, nil, err
	}
	block, _ := pem.Decode(crtPEM)
	if block == nil {
		return nil, nil, errors.New("ca.crt: no PEM data")
	}
	ca, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err := os.ReadFile(filepath.Join(dir, "ca.key"))
	if err != nil {
		return nil, nil, err
	}
	block, _ = pem.Decode(keyPEM)
	if block == nil {
		return nil, nil, errors.New("ca.key: no PEM data")
	}
	key, err := x509.ParseECPrivateKey(block.Bytes)
	if err != nil {
		return nil, nil, err
	}
	return ca, key, nil
}

// writeKubeconfigFiles writes a self-contained kubeconfig (all certificates inline).
func writeKubeconfigFiles(out, server, user string, ca *x509.Certificate, crtFile, keyFile string) error {
	crt, err := os.ReadFile(crtFile)
	if err != nil {
		return err
	}
	key, err := os.ReadFile(keyFile)
	if err != nil {
		return err
	}
	b64 := base64.StdEncoding.EncodeToString
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw})
	// JSON is valid YAML, and json.Marshal quotes everything correctly.
	cfg := map[string]any{
		"apiVersion":      "v1",
		"kind":            "Config",
		"current-context": "test",
		"clusters": []any{map[string]any{
			"name":    "test",
			"cluster": map[string]any{"server": server, "certificate-authority-data": b64(caPEM)},
		}},
		"users": []any{map[string]any{
			"name": user,
			"user": map[string]any{"client-certificate-data": b64(crt), "client-key-data": b64(key)},
		}},
		"contexts": []any{map[string]any{
			"name":    "test",
			"context": map[string]any{"cluster": "test", "user": user, "namespace": "default"},
		}},
	}
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
		return err
	}
	return writeAtomic(out, append(b, '\n'), 0o600)
}

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func issueKubeconfig(args []string) error {
	fs := flag.NewFlagSet("kubeconfig", flag.ExitOnError)
	pkiDir := fs.String("pki-dir", "", "the pki directory of a server started with serve (DATA-DIR/pki)")
	server := fs.String("server", "", "https URL of the API server")
	user := fs.String("user", "", "user name (certificate common name)")
	out := fs.String("out", "", "kubeconfig file to write")
	var groups stringList
	fs.Var(&groups, "group", "group (certificate organization); repeatable")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *pkiDir == "" || *server == "" || *user == "" || *out == "" {
		return errors.New("--pki-dir, --server, --user and --out are required")
	}
	ca, caKey, err := loadCA(*pkiDir)
	if err != nil {
		return err
	}
	certDir, err := os.MkdirTemp(filepath.Dir(*out), ".cert-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(certDir)
	if err := issue(certDir, "client", clientTemplate(*user, groups), ca, caKey); err != nil {
		return err
	}
	return writeKubeconfigFiles(*out, *server, *user, ca,
		filepath.Join(certDir, "client.crt"), filepath.Join(certDir, "client.key"))
}
