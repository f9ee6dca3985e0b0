package dev.ofn.webhook.cli;

import dev.ofn.webhook.gateways.OwnershipMode;
import dev.ofn.webhook.gateways.RoutePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Everything {@code webhook serve} was told, after flags and {@code OFN_WEBHOOK_*} fallbacks. */
record ServeConfig(
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
    boolean controller,
    boolean persistGeneratedRoute,
    String leaseName,
    Duration shutdownGrace,
    OwnershipMode hostnameOwnership,
    RoutePolicy defaultRoutePolicy) {}
