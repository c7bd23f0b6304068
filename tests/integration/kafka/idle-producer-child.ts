// Run by idle-connections.test.ts in a process of its own: produces to the broker named in argv[2]
// twice, as two warm invocations of ingest-batch would, prints the results and returns without
// closing the producer. The process must then exit by itself.
import { createKafkaProducer } from '../../../libs/kafka';

const [broker = '', topic = ''] = process.argv.slice(2);
const producer = createKafkaProducer({
  clientId: 'idle-child',
  connection: { kind: 'plain', brokers: [broker] },
});

void (async () => {
  const first = await producer.produce(topic, [{ value: 'first', partition: 0 }]);
  const second = await producer.produce(topic, [{ value: 'second', partition: 0 }]);
  process.stdout.write(`${JSON.stringify([first, second])}\n`);
})();
