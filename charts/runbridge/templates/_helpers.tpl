{{/* Names and labels. */}}
{{- define "runbridge.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "runbridge.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "runbridge.selectorLabels" -}}
app.kubernetes.io/name: {{ include "runbridge.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "runbridge.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "runbridge.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: runbridge
{{- end -}}

{{- define "runbridge.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "runbridge.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret of a forge besides GitHub: dict "root" . "name" <forge>. */}}
{{- define "runbridge.forgeSecretName" -}}
{{- $forge := index .root.Values.forges .name -}}
{{- default (printf "%s-%s-webhook" (include "runbridge.fullname" .root) .name) $forge.secret.existingSecret -}}
{{- end -}}

{{/* The enabled forges as a JSON list of {name, path}: GitHub first, then the others by name. */}}
{{- define "runbridge.enabledForges" -}}
{{- $forges := list -}}
{{- if .Values.config.github.enabled -}}
{{- $forges = append $forges (dict "name" "github" "path" .Values.config.github.path) -}}
{{- end -}}
{{- range $name, $forge := .Values.forges -}}
{{- if $forge.enabled -}}
{{- $forges = append $forges (dict "name" $name "path" $forge.path) -}}
{{- end -}}
{{- end -}}
{{- toJson $forges -}}
{{- end -}}

{{- define "runbridge.secretName" -}}
{{- default (printf "%s-webhook" (include "runbridge.fullname" .)) .Values.webhookSecret.existingSecret -}}
{{- end -}}

{{- define "runbridge.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if .Values.image.digest -}}
{{- printf "%s:%s@%s" .Values.image.repository $tag .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* "true" when schedules are coordinated through a Lease: explicitly, or auto with several replicas. */}}
{{- define "runbridge.leaderElection" -}}
{{- $enabled := .Values.config.leaderElection.enabled -}}
{{- if kindIs "bool" $enabled -}}
{{- $enabled -}}
{{- else -}}
{{- gt (int .Values.replicaCount) 1 -}}
{{- end -}}
{{- end -}}

{{- define "runbridge.terminationGracePeriodSeconds" -}}
{{- $minimum := add (int .Values.preStopSleepSeconds) (ceil .Values.config.shutdownGraceSeconds | int) -}}
{{- $value := .Values.terminationGracePeriodSeconds -}}
{{- if eq (toString $value) "" -}}
{{- add $minimum 10 -}}
{{- else if le (int $value) $minimum -}}
{{- fail (printf "terminationGracePeriodSeconds (%v) must be larger than preStopSleepSeconds + config.shutdownGraceSeconds (%v): Kubernetes would kill runbridge while events are still in flight" $value $minimum) -}}
{{- else -}}
{{- int $value -}}
{{- end -}}
{{- end -}}

{{/* Namespaces runs may be created in, as a JSON list. */}}
{{- define "runbridge.runNamespaces" -}}
{{- $namespaces := .Values.rbac.namespaces | default list -}}
{{- if not $namespaces -}}
{{- range .Values.config.runConfigurations -}}
{{- $namespaces = append $namespaces (.namespace | default "default") -}}
{{- end -}}
{{- end -}}
{{- if not $namespaces -}}
{{- $namespaces = list .Release.Namespace -}}
{{- end -}}
{{- toJson (uniq $namespaces | sortAlpha) -}}
{{- end -}}

{{/* Templates used by a run configuration that has a schedule with concurrencyPolicy Replace, as a JSON list. */}}
{{- define "runbridge.replaceTemplates" -}}
{{- $templates := list -}}
{{- range .Values.config.runConfigurations -}}
{{- $rc := . -}}
{{- range ((.triggers | default dict).schedules | default list) -}}
{{- if eq (.concurrencyPolicy | default "Allow") "Replace" -}}
{{- $templates = append $templates $rc.template -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toJson (uniq $templates) -}}
{{- end -}}

{{/*
RBAC rules for the run kinds: create/get/list/watch, plus delete/patch where Replace needs them
(rbac.allowReplace, a kind's `replace`, or a Replace schedule of a run configuration using one of
the kind's templates).
*/}}
{{- define "runbridge.runRules" -}}
{{- $replaceTemplates := include "runbridge.replaceTemplates" . | fromJsonArray -}}
{{- range $kind := .Values.rbac.runKinds }}
{{- $replace := or $.Values.rbac.allowReplace $kind.replace -}}
{{- range ($kind.templates | default list) -}}
{{- if has . $replaceTemplates -}}
{{- $replace = true -}}
{{- end -}}
{{- end }}
- apiGroups: [{{ $kind.group | quote }}]
  resources: [{{ $kind.resource | quote }}]
  verbs: [create, get, list, watch{{ if $replace }}, delete, patch{{ end }}]
{{- end -}}
{{- end -}}

{{/* The runbridge configuration file, built from .Values.config. */}}
{{- define "runbridge.config" -}}
{{- $c := .Values.config -}}
{{- $config := dict -}}
{{- $_ := set $config "server" (dict "host" "0.0.0.0" "port" 8080 "internalHost" "0.0.0.0" "internalPort" 8081 "bodyLimitBytes" (int $c.bodyLimitBytes) "shutdownGraceSeconds" $c.shutdownGraceSeconds) -}}
{{- $_ := set $config "log" (dict "level" $c.logLevel) -}}
{{- if $c.github.enabled -}}
{{- $secrets := list (dict "fromFile" (printf "/etc/runbridge/secrets/%s" .Values.webhookSecret.key)) -}}
{{- range .Values.webhookSecret.additionalKeys -}}
{{- $secrets = append $secrets (dict "fromFile" (printf "/etc/runbridge/secrets/%s" .)) -}}
{{- end -}}
{{- $_ := set $config "github" (dict "path" $c.github.path "secrets" $secrets) -}}
{{- end -}}
{{- range $name, $forge := .Values.forges -}}
{{- if $forge.enabled -}}
{{- $secrets := list (dict "fromFile" (printf "/etc/runbridge/forges/%s/%s" $name $forge.secret.key)) -}}
{{- range $forge.secret.additionalKeys -}}
{{- $secrets = append $secrets (dict "fromFile" (printf "/etc/runbridge/forges/%s/%s" $name .)) -}}
{{- end -}}
{{- $_ := set $config $name (dict "path" $forge.path "secrets" $secrets) -}}
{{- end -}}
{{- end -}}
{{- if .Values.templates -}}
{{- $_ := set $config "templates" (dict "directories" (list "/etc/runbridge/templates")) -}}
{{- end -}}
{{- if eq $c.sink.type "kubernetes" -}}
{{- $_ := set $config "sink" (dict "type" "kubernetes" "dryRun" $c.sink.dryRun "qps" $c.sink.qps "burst" (int $c.sink.burst) "maxAttempts" (int $c.sink.maxAttempts)) -}}
{{- else -}}
{{- $_ := set $config "sink" (dict "type" "file" "directory" "/var/lib/runbridge/runs") -}}
{{- end -}}
{{- if eq $c.state.type "nats" -}}
{{- if not $c.nats.servers -}}
{{- fail "config.state.type nats needs config.nats.servers" -}}
{{- end -}}
{{- $_ := set $config "state" (dict "type" "nats" "bucket" $c.state.bucket "replicas" (int $c.state.replicas)) -}}
{{- else -}}
{{- $_ := set $config "state" (dict "type" "file" "directory" "/var/lib/runbridge/state") -}}
{{- end -}}
{{- $i := $c.intake -}}
{{- $intake := dict "type" $i.type "maxAgeHours" $i.maxAgeHours "maxPending" (int $i.maxPending) "maxPendingBytes" (int64 $i.maxPendingBytes) -}}
{{- if eq $i.type "jetstream" -}}
{{- if not $c.nats.servers -}}
{{- fail "config.intake.type jetstream needs config.nats.servers" -}}
{{- end -}}
{{- if ne $c.state.type "nats" -}}
{{- fail "config.intake.type jetstream needs config.state.type nats (the replicas share the intake's records through it)" -}}
{{- end -}}
{{- $_ := merge $intake (dict "stream" $i.stream "subject" $i.subject "durable" $i.durable "duplicateWindowSeconds" (int $i.duplicateWindowSeconds) "ackWaitSeconds" (int $i.ackWaitSeconds) "replicas" (int $i.replicas)) -}}
{{- else -}}
{{- $_ := set $intake "directory" "/var/lib/runbridge/intake" -}}
{{- end -}}
{{- $_ := set $config "intake" $intake -}}
{{- if and ($c.completions).nats (not $c.nats.servers) -}}
{{- fail "config.completions.nats needs config.nats.servers" -}}
{{- end -}}
{{- if $c.nats.servers -}}
{{- $nats := dict "servers" $c.nats.servers "name" (include "runbridge.fullname" .) -}}
{{- if $c.nats.tokenSecret.name -}}
{{- $_ := set $nats "token" (dict "fromEnv" "NATS_TOKEN") -}}
{{- end -}}
{{- $_ := set $config "nats" $nats -}}
{{- end -}}
{{- if $c.completions -}}
{{- $_ := set $config "completions" $c.completions -}}
{{- end -}}
{{- if eq (include "runbridge.leaderElection" .) "true" -}}
{{- $le := $c.leaderElection -}}
{{- $_ := set $config "leaderElection" (dict "enabled" true "leaseName" $le.leaseName "leaseNamespace" .Release.Namespace "leaseDurationSeconds" (int $le.leaseDurationSeconds) "renewDeadlineSeconds" (int $le.renewDeadlineSeconds) "retryPeriodSeconds" (int $le.retryPeriodSeconds)) -}}
{{- end -}}
{{- $_ := set $config "runConfigurations" ($c.runConfigurations | default list) -}}
apiVersion: runbridge.dev/v1alpha1
kind: Config
{{ toYaml $config }}
{{- end -}}

{{/* GitHub events to send, from the git triggers of the run configurations (push when there are none). */}}
{{- define "runbridge.githubEvents" -}}
{{- $events := list -}}
{{- range .Values.config.runConfigurations -}}
{{- range ((.triggers | default dict).git | default list) -}}
{{- range (.events | default (list "push")) -}}
{{- if eq . "tag" -}}
{{- $events = append $events "push" -}}
{{- else -}}
{{- $events = append $events . -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if not $events -}}
{{- $events = list "push" -}}
{{- end -}}
{{- uniq $events | sortAlpha | join ", " -}}
{{- end -}}
