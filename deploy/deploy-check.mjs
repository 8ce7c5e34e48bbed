// make deploy-check: the manifests under deploy/ checked without a cluster.
//
//   node deploy/deploy-check.mjs NODE_MODULES DIR...      (make deploy-check installs NODE_MODULES)
//
// 1. Kubernetes' own kinds (Deployment, Service, HorizontalPodAutoscaler) against the JSON schemas
//    of Kubernetes' OpenAPI definitions that the npm package kubernetes-models 5.1.0 bundles
//    (Kubernetes 1.34's: types, required fields, formats; like kubectl without --validate=strict,
//    these schemas let an unknown field through).
// 2. KServe's kinds (ServingRuntime, InferenceService), whose CRD schemas no package here ships:
//    every container in them against the same Kubernetes Container schema (probes, ports,
//    resources, securityContext), and KServe's own fields by the rules below, taken from KServe's
//    API reference (serving.kserve.io v1alpha1 ServingRuntimeSpec, v1beta1 PredictorSpec).
// 3. What the manifests promise together: the image is this version's, the server container
//    listens on 8501, probes /v2/health/ready, runs as uid 10001; the Service selects the
//    Deployment's pods and targets a declared port; the HPA scales the Deployment on a CPU the
//    container requests; an InferenceService names a runtime and format that exist and a protocol
//    the runtime speaks.
// Exit 0 when all hold, 1 with one line per problem otherwise.
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [nodeModules, ...dirs] = process.argv.slice(2);
const load = async (p) => import(pathToFileURL(resolve(nodeModules, p)).href);
const YAML = (await load("yaml/dist/index.js")).default;
const models = {
  "apps/v1 Deployment": ["kubernetes-models/apps/v1/Deployment.js", "Deployment"],
  "v1 Service": ["kubernetes-models/v1/Service.js", "Service"],
  "autoscaling/v2 HorizontalPodAutoscaler": [
    "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler.js",
    "HorizontalPodAutoscaler",
  ],
};
const { Container } = await load("kubernetes-models/v1/Container.js");
const { Volume } = await load("kubernetes-models/v1/Volume.js");

const pom = readFileSync("pom.xml", "utf8");
const version = pom.match(/<artifactId>tf-mnist<\/artifactId>\s*<version>([^<]+)</)[1];
const IMAGE = `tf-mnist:${version}`;
const PORT = 8501;
const UID = 10001;
const problems = [];
const ok = [];
const fail = (where, what) => problems.push(`${where}: ${what}`);

const docs = [];
for (const dir of dirs) {
  for (const f of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    const file = join(dir, f);
    for (const d of YAML.parseAllDocuments(readFileSync(file, "utf8"))) {
      if (d.errors.length) fail(file, d.errors[0].message);
      const o = d.toJSON();
      if (o) docs.push({ file, o, where: `${file} ${o.kind}/${o.metadata?.name}` });
    }
  }
}
const schemaCheck = (where, Model, data) => {
  try {
    new Model(data).validate();
    return true;
  } catch (e) {
    fail(where, `schema: ${e.message.split("\n").slice(0, 3).join("; ")}`);
    return false;
  }
};
const onlyKeys = (where, obj, allowed) => {
  for (const k of Object.keys(obj ?? {}))
    if (!allowed.includes(k)) fail(where, `unknown field ${k} (known: ${allowed.join(", ")})`);
};
// the server's container: this version's image, port 8501, v2 readiness, not root
const serverContainer = (where, c, podSecurity) => {
  schemaCheck(`${where} container ${c.name}`, Container, c);
  if (c.image !== IMAGE) fail(where, `image ${c.image}, not ${IMAGE} (pom.xml's version)`);
  const ports = c.ports ?? [];
  if (!ports.some((p) => p.containerPort === PORT)) fail(where, `no containerPort ${PORT}`);
  const portOf = (p) =>
    typeof p === "number" ? p : ports.find((q) => q.name === p)?.containerPort;
  const ready = c.readinessProbe?.httpGet;
  if (ready?.path !== "/v2/health/ready" || portOf(ready?.port) !== PORT)
    fail(where, "readinessProbe is not GET /v2/health/ready on 8501");
  const live = c.livenessProbe?.httpGet;
  if (live && (!live.path.startsWith("/v2/health/") || portOf(live.port) !== PORT))
    fail(where, "livenessProbe is not a /v2/health route on 8501");
  const uid = c.securityContext?.runAsUser ?? podSecurity?.runAsUser;
  if (uid !== UID) fail(where, `runs as uid ${uid}, not ${UID}`);
  if (!c.resources?.requests?.cpu) fail(where, "no CPU request (autoscaling on CPU needs one)");
};

const byKind = (k) => docs.filter((d) => d.o.kind === k);
for (const { o, where } of docs) {
  const key = `${o.apiVersion} ${o.kind}`;
  if (models[key]) {
    const [path, name] = models[key];
    const Model = (await load(path))[name];
    if (schemaCheck(where, Model, o)) ok.push(`${where}: Kubernetes schema`);
  } else if (key === "serving.kserve.io/v1alpha1 ServingRuntime") {
    const s = o.spec ?? {};
    onlyKeys(`${where} spec`, s, [
      "supportedModelFormats", "protocolVersions", "containers", "volumes", "multiModel",
      "disabled", "nodeSelector", "affinity", "tolerations", "imagePullSecrets", "annotations",
      "labels", "replicas", "grpcEndpoint", "grpcDataEndpoint", "httpDataEndpoint",
    ]);
    if (!s.supportedModelFormats?.length || s.supportedModelFormats.some((f) => typeof f.name !== "string"))
      fail(where, "supportedModelFormats needs entries with a name");
    for (const f of s.supportedModelFormats ?? [])
      onlyKeys(`${where} supportedModelFormats`, f, ["name", "version", "autoSelect", "priority"]);
    const protocols = ["v1", "v2", "grpc-v1", "grpc-v2"];
    for (const p of s.protocolVersions ?? []) if (!protocols.includes(p)) fail(where, `protocol ${p}?`);
    if (!s.protocolVersions?.includes("v2")) fail(where, "protocolVersions lacks v2");
    if (s.containers?.length !== 1 || s.containers[0].name !== "kserve-container")
      fail(where, "one container named kserve-container expected");
    for (const c of s.containers ?? []) serverContainer(where, c);
    for (const v of s.volumes ?? []) schemaCheck(`${where} volume`, Volume, v);
    ok.push(`${where}: KServe fields, container against Kubernetes' Container schema`);
  } else if (key === "serving.kserve.io/v1beta1 InferenceService") {
    onlyKeys(`${where} spec`, o.spec, ["predictor", "transformer", "explainer"]);
    const p = o.spec?.predictor;
    if (!p) { fail(where, "spec.predictor is required"); continue; }
    const kserveKeys = [
      "minReplicas", "maxReplicas", "scaleTarget", "scaleMetric", "containerConcurrency",
      "timeout", "canaryTrafficPercent", "logger", "batcher", "labels", "annotations",
    ];
    onlyKeys(`${where} predictor`, p, [...kserveKeys, "model", "containers", "volumes",
      "serviceAccountName", "nodeSelector", "affinity", "tolerations", "imagePullSecrets",
      "securityContext"]);
    if (p.model && p.containers) fail(where, "predictor has both model and containers");
    if (p.model) {
      const m = p.model;
      onlyKeys(`${where} model`, m, ["modelFormat", "runtime", "protocolVersion", "storageUri",
        "resources", "env", "args"]);
      if (!["v1", "v2", "grpc-v1", "grpc-v2"].includes(m.protocolVersion ?? "v1"))
        fail(where, `protocolVersion ${m.protocolVersion}?`);
      if (m.protocolVersion !== "v2") fail(where, "protocolVersion is not v2");
      if (typeof m.storageUri !== "string" || !/^[a-z0-9]+:\/\//.test(m.storageUri))
        fail(where, "storageUri needs a scheme (pvc://, s3://, gs://, https://)");
      const rt = byKind("ServingRuntime").find((d) => d.o.metadata.name === m.runtime);
      if (!rt) fail(where, `runtime ${m.runtime} is not among the manifests`);
      else {
        if (!rt.o.spec.supportedModelFormats.some((f) => f.name === m.modelFormat?.name))
          fail(where, `runtime ${m.runtime} does not support format ${m.modelFormat?.name}`);
        if (!rt.o.spec.protocolVersions.includes(m.protocolVersion))
          fail(where, `runtime ${m.runtime} does not speak ${m.protocolVersion}`);
      }
    } else if (p.containers?.length) {
      for (const c of p.containers) serverContainer(where, c, p.securityContext);
      const env = Object.fromEntries((p.containers[0].env ?? []).map((e) => [e.name, e.value]));
      if (env.PROTOCOL !== "v2") fail(where, "custom predictor without PROTOCOL=v2");
      for (const v of p.volumes ?? []) schemaCheck(`${where} volume`, Volume, v);
    } else fail(where, "predictor has neither model nor containers");
    ok.push(`${where}: KServe fields${p.containers ? ", containers against Kubernetes' Container schema" : ""}`);
  } else fail(where, `kind ${key} is not checked here`);
}

// together: the Service and the HPA point at the Deployment
for (const { o, where } of byKind("Deployment")) {
  const pod = o.spec.template.spec;
  const c = pod.containers[0];
  serverContainer(where, c, pod.securityContext);
  for (const { o: s, where: sw } of byKind("Service")) {
    const labels = o.spec.template.metadata.labels ?? {};
    if (!Object.entries(s.spec.selector ?? {}).every(([k, v]) => labels[k] === v))
      fail(sw, `selector does not match ${o.metadata.name}'s pods`);
    for (const sp of s.spec.ports)
      if (!(c.ports ?? []).some((p) => p.name === sp.targetPort || p.containerPort === sp.targetPort))
        fail(sw, `targetPort ${sp.targetPort} is no port of ${o.metadata.name}`);
  }
  for (const { o: h, where: hw } of byKind("HorizontalPodAutoscaler")) {
    const t = h.spec.scaleTargetRef;
    if (t.kind !== "Deployment" || t.name !== o.metadata.name) fail(hw, `does not scale ${o.metadata.name}`);
    if (h.spec.minReplicas > h.spec.maxReplicas) fail(hw, "minReplicas > maxReplicas");
  }
}
for (const k of ["Deployment", "Service", "HorizontalPodAutoscaler", "ServingRuntime", "InferenceService"])
  if (!byKind(k).length) fail(dirs.join(" "), `no ${k}`);

for (const line of ok) console.log(`ok   ${line}`);
if (problems.length) {
  for (const p of problems) console.log(`FAIL ${p}`);
  console.log(`deploy-check FAILED: ${problems.length} problem(s) in ${docs.length} manifests`);
  process.exit(1);
}
console.log(`deploy-check: ${docs.length} manifests valid (image ${IMAGE}, port ${PORT}, uid ${UID}, /v2/health/ready)`);
