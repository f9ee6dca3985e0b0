package dev.ofn.webhook.cli;

import dev.ofn.webhook.app.ServeConfig;
import dev.ofn.webhook.app.WebhookServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code webhook serve}: the admission server (and, with a cluster, informers, certificates,
 * controller).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Serve the admission webhooks over HTTPS. Without a reachable cluster (or with --standalone) it "
            + "runs on its embedded default: certs in --certs-dir and the built-in default OFN Gateway.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on.")
  String host;

  @Option(names = "--port", defaultValue = "9443", description = "HTTPS port of the webhooks.")
  int port;

  @Option(
      names = "--probe-port",
      defaultValue = "8081",
      description = "HTTP port of /healthz /readyz /metrics.")
  int probePort;

  @Option(
      names = "--http2",
      defaultValue = "true",
      arity = "1",
      description = "Offer HTTP/2 by ALPN.")
  boolean http2;

  @Option(names = "--standalone", description = "Do not look for a cluster.")
  boolean standalone;

  @Option(
      names = "--kubeconfig",
      description = "kubeconfig file (default: in-cluster, then $KUBECONFIG, ~/.kube/config).")
  Path kubeconfig;

  @Option(
      names = {"--cert-dir", "--certs-dir"},
      defaultValue = "certs",
      description =
          "Certificate folder: standalone and --register-url (ca.crt, tls.crt, tls.key), or cert-manager's mount.")
  Path certsDir;

  @Option(
      names = "--cert-dns",
      split = ",",
      description = "Extra DNS SANs of the standalone serving certificate.")
  List<String> certDns = new ArrayList<>();

  @Option(
      names = "--cert-ip",
      split = ",",
      description = "Extra IP SANs of the standalone serving certificate.")
  List<String> certIps = new ArrayList<>();

  @Option(
      names = "--cert-mode",
      defaultValue = "self",
      converter = CertMode.Converter.class,
      completionCandidates = CertMode.Names.class,
      description =
          "Who issues the serving certificate: self (our own CA, Secret and caBundle, written by "
              + "the leader) or cert-manager (files in --cert-dir, caBundle by its cainjector).")
  CertMode certMode;

  @Option(
      names = "--cert-secret",
      defaultValue = "ofn-webhook-certs",
      description = "Secret holding CA and serving cert.")
  String certSecret;

  @Option(
      names = "--service-name",
      defaultValue = "ofn-webhook",
      description = "Service the apiserver calls.")
  String serviceName;

  @Option(
      names = "--namespace",
      description =
          "Namespace of the leader-election Lease and the certificate Secret (default: "
              + "$POD_NAMESPACE; with --register-url the kubeconfig context's namespace; else "
              + "ofn-webhook-system).")
  String namespace;

  @Option(
      names = "--mutating-config",
      defaultValue = "ofn-webhook",
      description = "MutatingWebhookConfiguration name.")
  String mutatingConfig;

  @Option(
      names = "--validating-config",
      defaultValue = "ofn-webhook",
      description = "ValidatingWebhookConfiguration name.")
  String validatingConfig;

  @Option(
      names = "--register-url",
      description =
          "Register our webhook configurations pointing at this URL (local development); removed "
              + "again on a graceful stop (SIGTERM, Ctrl-C) unless --keep-registration.")
  String registerUrl;

  @Option(
      names = "--keep-registration",
      description =
          "With --register-url: leave the webhook configurations registered when stopping.")
  boolean keepRegistration;

  @Option(
      names = "--controller",
      defaultValue = "true",
      arity = "1",
      description = "Run the writers (leader only).")
  boolean controller;

  @Option(
      names = "--openfunction",
      defaultValue = "true",
      arity = "1",
      description =
          "Watch OpenFunction's kinds (Functions, OFN Gateways) when the cluster serves them;"
              + " false for a Gateway API only install, which may not read them.")
  boolean openFunction;

  @Option(
      names = "--controller-workers",
      defaultValue = "16",
      converter = PositiveInts.class,
      description =
          "Functions the controller reconciles at once. Each mostly waits on the API server, so"
              + " more workers write faster; 16 keep a small API server busy.")
  int controllerWorkers;

  @Option(
      names = "--persist-generated-route",
      arity = "1",
      description =
          "Write generated route hostnames/rules into Function specs (default: the value of --controller).")
  Boolean persistGeneratedRoute;

  @Option(
      names = "--lease-name",
      defaultValue = "ofn-webhook",
      description = "Leader election Lease (in --namespace).")
  String leaseName;

  @Option(
      names = "--shutdown-grace",
      defaultValue = "10s",
      converter = Durations.class,
      description = "After SIGTERM, keep answering this long while endpoints drain.")
  Duration shutdownGrace;

  @Mixin LogOptions logging = new LogOptions();

  @Option(
      names = "--hostname-ownership",
      defaultValue = "off",
      converter = OwnershipModes.class,
      description = OwnershipModes.DESCRIPTION)
  dev.ofn.webhook.gateways.OwnershipMode hostnameOwnership;

  @Option(
      names = "--default-route-policy",
      defaultValue = "off",
      converter = RoutePolicies.class,
      description = RoutePolicies.DESCRIPTION)
  dev.ofn.webhook.gateways.RoutePolicy defaultRoutePolicy;

  @Option(
      names = "--warmup",
      defaultValue = "40",
      description =
          "Rounds of dry-run reviews (5 each) the server answers itself before it reports ready, "
              + "so that the first real reviews are fast; 0: no warm-up at all.")
  int warmUpBefore;

  @Option(
      names = "--warmup-budget",
      defaultValue = "1s",
      converter = Durations.class,
      description = "Longest time the warm-up may delay readiness.")
  Duration warmUpBudget;

  @Option(
      names = "--warmup-after",
      defaultValue = "400",
      description = "Rounds of dry-run reviews after ready, in the background at half duty.")
  int warmUpAfter;

  @Option(
      names = "--warmup-https",
      defaultValue = "0",
      description = "Rounds of dry-run reviews over HTTPS after ready, in the background.")
  int warmUpOverHttps;

  /** The parsed command line as the server's settings. */
  ServeConfig config() {
    return ServeConfig.builder()
        .host(host)
        .port(port)
        .probePort(probePort)
        .http2(http2)
        .standalone(standalone)
        .kubeconfig(kubeconfig)
        .certsDir(certsDir)
        .certDns(certDns)
        .certIps(certIps)
        .certMode(certMode.flag)
        .certSecret(certSecret)
        .serviceName(serviceName)
        .namespace(namespace)
        .mutatingConfig(mutatingConfig)
        .validatingConfig(validatingConfig)
        .registerUrl(registerUrl)
        .keepRegistration(keepRegistration)
        .controller(controller)
        .openFunction(openFunction)
        .controllerWorkers(controllerWorkers)
        .persistGeneratedRoute(persistGeneratedRoute)
        .leaseName(leaseName)
        .shutdownGrace(shutdownGrace)
        .hostnameOwnership(hostnameOwnership)
        .defaultRoutePolicy(defaultRoutePolicy)
        .warmUp(
            new ServeConfig.WarmUpPlan(warmUpBefore, warmUpBudget, warmUpAfter, warmUpOverHttps))
        .build();
  }

  /**
   * Serves until SIGTERM or Ctrl-C. A failure to start (a port in use, a certificate that cannot be
   * read) is one error line in the chosen log format, naming the port or file, and exit 2.
   */
  @Override
  public Integer call() throws Exception {
    logging.apply();
    WebhookServer server;
    try {
      server = WebhookServer.start(config());
    } catch (Exception e) {
      LoggerFactory.getLogger(ServeCommand.class)
          .error("cannot start: {}", e.getMessage() == null ? e.toString() : e.getMessage());
      return 2;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::drainAndStop, "shutdown"));
    server.awaitStopped();
    return 0;
  }
}
