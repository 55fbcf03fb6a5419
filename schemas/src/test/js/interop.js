// Confluent's own JS client as the reference peer for intent-stream's Java registry and serde.
// Driven by ConfluentJsInteropTest: reads a plan (JSON file named by argv[2]), prints results as JSON.
//
// For each contract schema it: registers/looks up/fetches the schema on our registry server with
// Confluent's HTTP SchemaRegistryClient, writes the given value with Confluent's AvroSerializer, and
// reads the bytes our Java serializer wrote with Confluent's AvroDeserializer.
//
// Byte values (Avro `bytes`, which is how the contract's decimals travel) are exchanged as
// {"$bytes": "<hex>"}: Confluent's JS serde (avsc) does not apply the decimal logical type, so a
// decimal is its two's-complement unscaled value; the Java side compares those bytes exactly and
// checks the BigDecimal values through the generated classes.
const fs = require('fs');
const { SchemaRegistryClient, AvroSerializer, AvroDeserializer, SerdeType } = require('@confluentinc/schemaregistry');

const toBuffers = (v) =>
  Array.isArray(v) ? v.map(toBuffers)
  : v && typeof v === 'object'
    ? ('$bytes' in v ? Buffer.from(v.$bytes, 'hex') : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toBuffers(x)])))
    : v;

const toPlain = (v) =>
  Buffer.isBuffer(v) ? { $bytes: v.toString('hex') }
  : Array.isArray(v) ? v.map(toPlain)
  : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]))
  : v;

async function main() {
  const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const client = new SchemaRegistryClient({ baseURLs: [plan.registryUrl], maxRetries: 0 });
  const serializer = new AvroSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true });
  const deserializer = new AvroDeserializer(client, SerdeType.VALUE, {});
  const results = [];
  for (const c of plan.cases) {
    const info = { schemaType: 'AVRO', schema: c.schema };
    const id = await client.register(c.subject, info, false);
    const latest = await client.getLatestSchemaMetadata(c.subject);
    results.push({
      subject: c.subject,
      registeredId: id,
      lookupId: await client.getId(c.subject, info, false),
      latestId: latest.id,
      latestVersion: latest.version,
      versions: await client.getAllVersions(c.subject),
      schemaById: (await client.getBySubjectAndId(c.subject, id)).schema,
      compatible: await client.testSubjectCompatibility(c.subject, info),
      jsBytes: (await serializer.serialize(c.topic, toBuffers(c.value))).toString('hex'),
      decodedJavaBytes: toPlain(await deserializer.deserialize(c.topic, Buffer.from(c.javaBytes, 'hex'))),
    });
  }
  const output = {
    cases: results,
    subjects: await client.getAllSubjects(),
    defaultCompatibility: await client.getDefaultCompatibility(),
  };
  process.stdout.write(JSON.stringify(output));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
