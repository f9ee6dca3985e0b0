package dev.ofn.webhook.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the cluster informers: every watched kind is declared here (one field and its
 * accessor), found by one discovery pass, started and stopped here, and its sync state reported
 * from here. Consumers (the gateway catalog, the conflict index feed, the controller) add their
 * listeners to the typed watches before {@link #start}.
 */
public final class Informers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Informers.class);

  private final KubernetesClient client;
  private final boolean controller;
  private final List<Watch> all = new ArrayList<>();

  private final Watch ofnGateways = declare(WatchedKind.OFN_GATEWAYS);
  private final Watch k8sGateways = declare(WatchedKind.K8S_GATEWAYS);
  private final Watch functions = declare(WatchedKind.FUNCTIONS);
  private final Watch httpRoutes = declare(WatchedKind.HTTP_ROUTES);
  private final Watch namespaces = declare(WatchedKind.NAMESPACES);
  private final Watch knativeServices = declare(WatchedKind.KNATIVE_SERVICES);
  private final Watch ownedServices = declare(WatchedKind.OWNED_SERVICES);

  /** {@code controller}: also watch the kinds only the controller needs. */
  public Informers(KubernetesClient client, boolean controller) {
    this.client = client;
    this.controller = controller;
  }

  private Watch declare(WatchedKind kind) {
    Watch watch = new Watch(kind);
    all.add(watch);
    return watch;
  }

  public Watch ofnGateways() {
    return ofnGateways;
  }

  public Watch k8sGateways() {
    return k8sGateways;
  }

  public Watch functions() {
    return functions;
  }

  public Watch httpRoutes() {
    return httpRoutes;
  }

  public Watch namespaces() {
    return namespaces;
  }

  public Watch knativeServices() {
    return knativeServices;
  }

  /** The Services the controller writes (labelled as ours). */
  public Watch ownedServices() {
    return ownedServices;
  }

  /** The watches this server runs: the admission kinds, and the controller's with a controller. */
  private List<Watch> wanted() {
    return all.stream()
        .filter(w -> controller || w.kind().need() == WatchedKind.Need.ADMISSION)
        .toList();
  }

  /**
   * One discovery pass, then every served kind's informer starts (without waiting for its list:
   * {@link #synced} says when). Listeners must be added before.
   */
  public void start() {
    Discovery discovery = new Discovery(client);
    List<String> watching = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Watch watch : wanted()) {
      watch.seal();
      WatchedKind kind = watch.kind();
      discovery
          .version(kind)
          .ifPresentOrElse(
              version -> {
                watch.start(client, version);
                watching.add(kind.name() + " (" + kind.apiVersion(version) + ")");
              },
              () -> missing.add(kind.name() + " (" + kind.withoutIt() + ")"));
    }
    LOG.info(
        "watching {}{}",
        String.join(", ", watching),
        missing.isEmpty() ? "" : "; not served by the cluster: " + String.join(", ", missing));
  }

  /** True when every served admission kind has been listed once (readiness). */
  public boolean synced() {
    return wanted().stream()
        .filter(w -> w.kind().need() == WatchedKind.Need.ADMISSION && w.served())
        .allMatch(Watch::synced);
  }

  /** Every running informer, admission and controller, by name: listed once yet? */
  public Map<String, Boolean> syncState() {
    Map<String, Boolean> state = new LinkedHashMap<>();
    for (Watch watch : wanted()) {
      if (watch.served()) {
        state.put(watch.kind().name(), watch.synced());
      }
    }
    return state;
  }

  /** The wanted kinds the cluster does not serve (now). */
  public List<WatchedKind> missing() {
    return wanted().stream().filter(w -> !w.served()).map(Watch::kind).toList();
  }

  @Override
  public void close() {
    all.forEach(Watch::close);
  }
}
