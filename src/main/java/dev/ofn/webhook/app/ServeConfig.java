package dev.ofn.webhook.app;

import dev.ofn.webhook.controller.Controller;
import dev.ofn.webhook.gateways.OwnershipMode;
import dev.ofn.webhook.gateways.RoutePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything {@code webhook serve} was told, after flags and {@code OFN_WEBHOOK_*} fallbacks. Made
 * with {@link #builder()}, whose defaults are the flags' defaults (a test holds them equal).
 */
public record ServeConfig(
    String host,
    int port,
    int probePort,
    boolean http2,
    boolean standalone,
    Path kubeconfig,
    Path certsDir,
    List<String> certDns,
    List<String> certIps,
    String certMode,
    String certSecret,
    String serviceName,
    String namespace,
    String mutatingConfig,
    String validatingConfig,
    String registerUrl,
    boolean keepRegistration,
    boolean controller,
    boolean openFunction,
    int controllerWorkers,
    boolean persistGeneratedRoute,
    String leaseName,
    Duration shutdownGrace,
    OwnershipMode hostnameOwnership,
    RoutePolicy defaultRoutePolicy,
    WarmUpPlan warmUp) {

  /**
   * Dry-run reviews the server answers itself ({@code server/WarmUp}): {@code before} rounds before
   * it reports ready (0: no warm-up at all), within {@code budget}; then, in the background, {@code
   * overHttps} rounds over HTTPS and {@code after} rounds straight through the handlers.
   */
  public record WarmUpPlan(int before, Duration budget, int after, int overHttps) {
    public static final WarmUpPlan DEFAULT = new WarmUpPlan(40, Duration.ofSeconds(1), 400, 0);

    /** No warm-up: ready as soon as everything else is (tests). */
    public static final WarmUpPlan NONE = new WarmUpPlan(0, Duration.ZERO, 0, 0);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The flags' defaults; {@code persistGeneratedRoute} follows {@code controller} unless set. */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = 9443;
    private int probePort = 8081;
    private boolean http2 = true;
    private boolean standalone;
    private Path kubeconfig;
    private Path certsDir = Path.of("certs");
    private List<String> certDns = List.of();
    private List<String> certIps = List.of();
    private String certMode = "self";
    private String certSecret = "ofn-webhook-certs";
    private String serviceName = "ofn-webhook";
    private String namespace;
    private String mutatingConfig = "ofn-webhook";
    private String validatingConfig = "ofn-webhook";
    private String registerUrl;
    private boolean keepRegistration;
    private boolean controller = true;
    private boolean openFunction = true;
    private int controllerWorkers = Controller.Settings.DEFAULT_FUNCTION_WORKERS;
    private Boolean persistGeneratedRoute;
    private String leaseName = "ofn-webhook";
    private Duration shutdownGrace = Duration.ofSeconds(10);
    private OwnershipMode hostnameOwnership = OwnershipMode.OFF;
    private RoutePolicy defaultRoutePolicy = RoutePolicy.OFF;
    private WarmUpPlan warmUp = WarmUpPlan.DEFAULT;

    private Builder() {}

    public Builder host(String value) {
      host = value;
      return this;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder probePort(int value) {
      probePort = value;
      return this;
    }

    public Builder http2(boolean value) {
      http2 = value;
      return this;
    }

    public Builder standalone(boolean value) {
      standalone = value;
      return this;
    }

    public Builder kubeconfig(Path value) {
      kubeconfig = value;
      return this;
    }

    public Builder certsDir(Path value) {
      certsDir = value;
      return this;
    }

    public Builder certDns(List<String> value) {
      certDns = List.copyOf(value);
      return this;
    }

    public Builder certIps(List<String> value) {
      certIps = List.copyOf(value);
      return this;
    }

    public Builder certMode(String value) {
      certMode = value;
      return this;
    }

    public Builder certSecret(String value) {
      certSecret = value;
      return this;
    }

    public Builder serviceName(String value) {
      serviceName = value;
      return this;
    }

    public Builder namespace(String value) {
      namespace = value;
      return this;
    }

    public Builder mutatingConfig(String value) {
      mutatingConfig = value;
      return this;
    }

    public Builder validatingConfig(String value) {
      validatingConfig = value;
      return this;
    }

    public Builder registerUrl(String value) {
      registerUrl = value;
      return this;
    }

    public Builder openFunction(boolean value) {
      openFunction = value;
      return this;
    }

    public Builder controllerWorkers(int value) {
      controllerWorkers = value;
      return this;
    }

    public Builder keepRegistration(boolean value) {
      keepRegistration = value;
      return this;
    }

    public Builder controller(boolean value) {
      controller = value;
      return this;
    }

    /** {@code null}: as {@code controller}. */
    public Builder persistGeneratedRoute(Boolean value) {
      persistGeneratedRoute = value;
      return this;
    }

    public Builder leaseName(String value) {
      leaseName = value;
      return this;
    }

    public Builder shutdownGrace(Duration value) {
      shutdownGrace = value;
      return this;
    }

    public Builder hostnameOwnership(OwnershipMode value) {
      hostnameOwnership = value;
      return this;
    }

    public Builder defaultRoutePolicy(RoutePolicy value) {
      defaultRoutePolicy = value;
      return this;
    }

    public Builder warmUp(WarmUpPlan value) {
      warmUp = value;
      return this;
    }

    public ServeConfig build() {
      return new ServeConfig(
          host,
          port,
          probePort,
          http2,
          standalone,
          kubeconfig,
          certsDir,
          certDns,
          certIps,
          certMode,
          certSecret,
          serviceName,
          namespace,
          mutatingConfig,
          validatingConfig,
          registerUrl,
          keepRegistration,
          controller,
          openFunction,
          controllerWorkers,
          persistGeneratedRoute == null ? controller : persistGeneratedRoute,
          leaseName,
          shutdownGrace,
          hostnameOwnership,
          defaultRoutePolicy,
          warmUp);
    }
  }
}
