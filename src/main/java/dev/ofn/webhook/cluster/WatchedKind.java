package dev.ofn.webhook.cluster;

import dev.ofn.webhook.model.Names;
import java.util.List;
import java.util.Optional;

/**
 * One kind the server watches: where the API serves it (the first of {@code versions} the cluster
 * serves wins), who needs it, and what is missing while the cluster does not serve it. Adding a
 * watched kind is one constant here and one field in {@link Informers}.
 *
 * @param name the informer's name in logs and the {@code ofn_webhook_informer_synced} gauge
 * @param group the API group; empty for the core group (always served)
 * @param labelSelector only objects with this label ({@code key=value}); null for all
 * @param withoutIt what the server cannot do while the cluster does not serve the kind
 */
public record WatchedKind(
    String name,
    String group,
    List<String> versions,
    String plural,
    String kind,
    boolean namespaced,
    String labelSelector,
    Need need,
    String withoutIt) {

  /** One of OpenFunction's own kinds (Functions, OFN Gateways). */
  public boolean openFunction() {
    return group.endsWith(".openfunction.io");
  }

  /** Who needs the kind: admission (readiness waits for it) or only the controller. */
  public enum Need {
    ADMISSION,
    CONTROLLER
  }

  public static final WatchedKind OFN_GATEWAYS =
      crd(
          "ofn-gateways",
          Names.OFN_GATEWAY_GROUP,
          List.of("v1alpha1"),
          "gateways",
          Names.GATEWAY_KIND,
          Need.ADMISSION,
          "OFN Gateways come only from requests");
  public static final WatchedKind K8S_GATEWAYS =
      crd(
          "k8s-gateways",
          Names.GATEWAY_API_GROUP,
          List.of("v1", "v1beta1"),
          "gateways",
          Names.GATEWAY_KIND,
          Need.ADMISSION,
          "listeners are read from OFN Gateways, the controller writes no listeners");
  public static final WatchedKind FUNCTIONS =
      crd(
          "functions",
          Names.FUNCTION_GROUP,
          List.of(Names.FUNCTION_VERSION),
          "functions",
          Names.FUNCTION_KIND,
          Need.ADMISSION,
          "Function routes are indexed only when admitted");
  public static final WatchedKind HTTP_ROUTES =
      crd(
          "httproutes",
          Names.GATEWAY_API_GROUP,
          List.of("v1", "v1beta1"),
          "httproutes",
          Names.HTTPROUTE_KIND,
          Need.ADMISSION,
          "raw HTTPRoutes are indexed only when admitted, the controller writes no HTTPRoutes");
  public static final WatchedKind GRPC_ROUTES =
      crd(
          "grpcroutes",
          Names.GATEWAY_API_GROUP,
          List.of("v1"),
          "grpcroutes",
          Names.GRPCROUTE_KIND,
          Need.ADMISSION,
          "GRPCRoutes are indexed only when admitted");
  public static final WatchedKind LISTENER_SETS =
      crd(
          "listenersets",
          Names.GATEWAY_API_GROUP,
          List.of("v1"),
          "listenersets",
          Names.LISTENERSET_KIND,
          Need.ADMISSION,
          "routes through a ListenerSet are not policed");

  /** Cluster-scoped: their route-policy annotation is the default of their Gateways. */
  public static final WatchedKind GATEWAY_CLASSES =
      new WatchedKind(
          "gatewayclasses",
          Names.GATEWAY_API_GROUP,
          List.of("v1", "v1beta1"),
          "gatewayclasses",
          Names.GATEWAYCLASS_KIND,
          false,
          null,
          Need.ADMISSION,
          "GatewayClass route policies are not read");

  public static final WatchedKind NAMESPACES =
      new WatchedKind(
          "namespaces",
          "",
          List.of("v1"),
          "namespaces",
          "Namespace",
          false,
          null,
          Need.ADMISSION,
          "");
  public static final WatchedKind KNATIVE_SERVICES =
      crd(
          "knative-services",
          "serving.knative.dev",
          List.of("v1"),
          "services",
          "Service",
          Need.CONTROLLER,
          "Knative Functions get no route");

  /** The Services the controller writes (labelled as ours): anyone else's are read live. */
  public static final WatchedKind OWNED_SERVICES =
      new WatchedKind(
          "services",
          "",
          List.of("v1"),
          "services",
          "Service",
          true,
          dev.ofn.webhook.routing.HttpRoutes.CREATED_BY_LABEL
              + "="
              + dev.ofn.webhook.routing.HttpRoutes.CREATED_BY,
          Need.CONTROLLER,
          "");

  /** A namespaced kind a CustomResourceDefinition brings (it may come and go). */
  public static WatchedKind crd(
      String name,
      String group,
      List<String> versions,
      String plural,
      String kind,
      Need need,
      String withoutIt) {
    return new WatchedKind(name, group, versions, plural, kind, true, null, need, withoutIt);
  }

  public WatchedKind {
    versions = List.copyOf(versions);
  }

  /** True for kinds of the core group, which every cluster serves. */
  public boolean builtIn() {
    return group.isEmpty();
  }

  /** The CustomResourceDefinition's name ({@code plural.group}); empty for a built-in kind. */
  public Optional<String> crdName() {
    return builtIn() ? Optional.empty() : Optional.of(plural + "." + group);
  }

  /** {@code group/version}, or {@code version} for the core group. */
  public String apiVersion(String version) {
    return builtIn() ? version : group + "/" + version;
  }
}
