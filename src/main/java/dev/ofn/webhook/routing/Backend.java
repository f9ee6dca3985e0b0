package dev.ofn.webhook.routing;

/**
 * Where a Function's route sends requests (docs/behaviour.md §6). Knative: the latest ready
 * revision's Service on port 80, reached with that revision's cluster host. KEDA: the HTTP add-on's
 * interceptor in the Function's namespace on port 8080, which routes by Host among the hosts of the
 * Function's HTTPScaledObject.
 */
public record Backend(Engine engine, String revision) {
  public static final String KEDA_INTERCEPTOR = "keda-add-ons-http-interceptor-proxy";
  public static final int KNATIVE_PORT = 80;
  public static final int KEDA_PORT = 8080;

  public enum Engine {
    KNATIVE,
    KEDA
  }

  /**
   * No ready revision means no HTTPRoute at all (RouteReady=False, BackendNotReady): the caller
   * decides that.
   */
  public static Backend knative(String latestReadyRevision) {
    if (latestReadyRevision == null || latestReadyRevision.isEmpty()) {
      throw new IllegalArgumentException("a Knative backend needs the latest ready revision");
    }
    return new Backend(Engine.KNATIVE, latestReadyRevision);
  }

  public static Backend keda() {
    return new Backend(Engine.KEDA, null);
  }

  public String serviceName() {
    return engine == Engine.KNATIVE ? revision : KEDA_INTERCEPTOR;
  }

  public int port() {
    return engine == Engine.KNATIVE ? KNATIVE_PORT : KEDA_PORT;
  }
}
