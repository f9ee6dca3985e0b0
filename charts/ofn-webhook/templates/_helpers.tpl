{{/* Labels of every object: the name (the only selector label, as in manifests/) plus Helm's. */}}
{{- define "ofn-webhook.labels" -}}
app.kubernetes.io/name: ofn-webhook
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "ofn-webhook.version" -}}
{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* The leader-election Lease: for our controller, and for the self-managed certificates. */}}
{{- define "ofn-webhook.leases" -}}
{{- if or .Values.controller (eq .Values.certMode "self") -}}true{{- end -}}
{{- end -}}

{{- define "ofn-webhook.subjects" -}}
subjects:
  - kind: ServiceAccount
    name: ofn-webhook
    namespace: {{ .Release.Namespace }}
{{- end -}}

{{/* One webhook's common tail: failurePolicy .. selectors. Argument: (list $ "vfunctions"). */}}
{{- define "ofn-webhook.webhook" -}}
{{- $root := index . 0 -}}
{{- $w := index $root.Values.webhooks (index . 1) -}}
{{- $v := $root.Values.webhooks -}}
failurePolicy: {{ $w.failurePolicy }}
{{- if hasPrefix "m" (index . 1) }}
reinvocationPolicy: IfNeeded
{{- end }}
sideEffects: NoneOnDryRun
timeoutSeconds: {{ $w.timeoutSeconds }}
matchPolicy: Equivalent
admissionReviewVersions: [v1, v1beta1]
namespaceSelector:
  {{- with $v.namespaceSelector.matchLabels }}
  matchLabels:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  matchExpressions:
    - key: kubernetes.io/metadata.name
      operator: NotIn
      values: [kube-system, {{ $root.Release.Namespace }}]
    {{- with $v.optOutLabel }}
    - key: {{ . }}
      operator: DoesNotExist
    {{- end }}
    {{- with $v.namespaceSelector.matchExpressions }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- with $v.objectSelector }}
objectSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "ofn-webhook.clientConfig" -}}
{{- $root := index . 0 -}}
clientConfig:
  service:
    name: ofn-webhook
    namespace: {{ $root.Release.Namespace }}
    path: {{ index . 1 }}
    port: 443
{{- end -}}

{{- define "ofn-webhook.injectCa" -}}
{{- if eq .Values.certMode "cert-manager" }}
  annotations:
    cert-manager.io/inject-ca-from: {{ .Release.Namespace }}/ofn-webhook-serving
{{- end }}
{{- end -}}

{{- define "ofn-webhook.validate" -}}
{{- if not (has .Values.certMode (list "self" "cert-manager")) -}}
{{- fail (printf "certMode must be self or cert-manager, not %q" .Values.certMode) -}}
{{- end -}}
{{- if not (kindIs "bool" .Values.controller) -}}
{{- fail (printf "controller must be true or false, not %q" (toString .Values.controller)) -}}
{{- end -}}
{{- end -}}
