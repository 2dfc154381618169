{{- define "arcturus.labels" -}}
app.kubernetes.io/name: arcturus
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "arcturus.image" -}}
{{ printf "%s:%s" .Values.image.repository .Values.image.tag | quote }}
{{- end -}}

{{/* Environment every component shares: where Kafka and the registry are, and where /metrics listens. */}}
{{- define "arcturus.planeEnv" -}}
- name: ARCTURUS_KAFKA_BOOTSTRAP
  value: {{ required "kafka.bootstrap is required" .Values.kafka.bootstrap | quote }}
- name: ARCTURUS_SCHEMA_REGISTRY_URL
  value: {{ required "schemaRegistry.url is required" .Values.schemaRegistry.url | quote }}
- name: ARCTURUS_METRICS_HOST
  value: "0.0.0.0"
- name: ARCTURUS_METRICS_PORT
  value: {{ .Values.metrics.port | quote }}
{{- end -}}

{{- define "arcturus.podAnnotations" -}}
{{- if .Values.metrics.annotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .Values.metrics.port | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- end -}}

{{/* Liveness/readiness on the metrics endpoint's /healthz. */}}
{{- define "arcturus.probes" -}}
livenessProbe:
  httpGet: { path: /healthz, port: metrics }
  initialDelaySeconds: 60
  periodSeconds: 15
readinessProbe:
  httpGet: { path: /healthz, port: metrics }
  periodSeconds: 5
{{- end -}}

{{- define "arcturus.securityContext" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: 10001
  runAsGroup: 10001
  fsGroup: 10001
{{- end -}}

{{- define "arcturus.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities: { drop: ["ALL"] }
{{- end -}}


{{/* The bus login of one component (dict "root" $ "principal" name): its properties file from kafka.clientsSecret. */}}
{{- define "arcturus.kafkaLogin.env" -}}
{{- if .root.Values.kafka.clientsSecret }}
- name: ARCTURUS_KAFKA_PROPERTIES
  value: /etc/arcturus/kafka-clients/{{ .principal }}.properties
{{- end }}
{{- end -}}

{{- define "arcturus.kafkaLogin.mount" -}}
- { name: kafka-login, mountPath: /etc/arcturus/kafka-clients, readOnly: true }
{{- end -}}

{{/* (dict "root" $ "principals" list): only those logins' keys, or every key when the list is empty (init). */}}
{{- define "arcturus.kafkaLogin.volume" -}}
- name: kafka-login
  secret:
    secretName: {{ .root.Values.kafka.clientsSecret }}
    defaultMode: 0400
    {{- if .principals }}
    items:
      {{- range .principals }}
      - { key: {{ . }}.properties, path: {{ . }}.properties }
      {{- end }}
    {{- end }}
{{- end -}}
