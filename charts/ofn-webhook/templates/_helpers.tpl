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

{{/* "true" when our controller runs: `controller`, unless Gateway API only. */}}
{{- define "ofn-webhook.controller" -}}
{{- if and .Values.controller (not .Values.gatewayApiOnly) -}}true{{- end -}}
{{- end -}}

{{/* The leader-election Lease: for our controller, and for the self-managed certificates. */}}
{{- define "ofn-webhook.leases" -}}
{{- if or (include "ofn-webhook.controller" .) (eq .Values.certMode "self") -}}true{{- end -}}
{{- end -}}

{{/* Security contexts: the values, without what OpenShift's SCC assigns when openshift is on. */}}
{{- define "ofn-webhook.podSecurityContext" -}}
{{- $c := .Values.podSecurityContext -}}
{{- if .Values.openshift -}}
{{- $c = omit $c "runAsUser" "runAsGroup" "fsGroup" -}}
{{- end -}}
{{- toYaml $c -}}
{{- end -}}

{{- define "ofn-webhook.securityContext" -}}
{{- $c := .Values.securityContext -}}
{{- if .Values.openshift -}}
{{- $c = omit $c "runAsUser" "runAsGroup" -}}
{{- end -}}
{{- toYaml $c -}}
{{- end -}}

{{/* The image of the server, the uninstall hook and the test. */}}
{{- define "ofn-webhook.image" -}}
{{ .Values.image.repository }}:{{ include "ofn-webhook.version" . }}
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

{{/* Hook objects: not the server's (no app.kubernetes.io/name: ofn-webhook, which selects it). */}}
{{- define "ofn-webhook.hookLabels" -}}
app.kubernetes.io/name: ofn-webhook-hook
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Argument: (list "pre-delete" "weight"). Deleted before a rerun and once they succeeded. */}}
{{- define "ofn-webhook.hookAnnotations" -}}
helm.sh/hook: {{ index . 0 }}
helm.sh/hook-weight: {{ index . 1 | quote }}
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- end -}}

{{/* A hook's pod spec head: its ServiceAccount, the server's security context and scheduling. */}}
{{- define "ofn-webhook.hookPod" -}}
{{- $root := index . 0 -}}
serviceAccountName: {{ index . 1 }}
restartPolicy: Never
securityContext:
  {{- include "ofn-webhook.podSecurityContext" $root | nindent 2 }}
{{- with $root.Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with $root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $root.Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $root.Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: 64Mi
{{- end -}}

{{/* A hook's container tail: small, the server's container security context, a writable /tmp. */}}
{{- define "ofn-webhook.hookContainer" -}}
resources:
  requests:
    cpu: 50m
    memory: 128Mi
  limits:
    memory: 256Mi
securityContext:
  {{- include "ofn-webhook.securityContext" . | nindent 2 }}
volumeMounts:
  - name: tmp
    mountPath: /tmp
{{- end -}}
