import * as grpc from '@grpc/grpc-js';
import { loadContract } from '../server/proto.js';
import { parseFlags } from './args.js';

const USAGE = `usage: node dist/cli/client.js [--address 127.0.0.1:50051] <command> [ids...]
commands:
  rfm <customer id>...       GetRfm for one or more customers
  churn|nbo|ltv <id>...      PredictChurn / PredictNbo / PredictLtv
  predict <model> <id>...    ModelService.PredictCustomers: any model by name (e.g. one on your own views)
  stream-rfm [segment]       ScoreCustomers(SCORE_KIND_RFM), prints the number of customers streamed`;

/** A small client for trying the server from a shell, without grpcurl. */
async function main(): Promise<void> {
  const { values, positionals } = parseFlags(
    { address: { type: 'string', default: '127.0.0.1:50051' } },
    USAGE,
  );
  const [command, ...args] = positionals;
  const { grpcObject } = loadContract();
  const client = new grpcObject.loyalty.v1.LoyaltyService(values.address!, grpc.credentials.createInsecure());
  const customers = args.map((customerId) => ({ customerId }));
  const deadline = () => Date.now() + 10_000;
  const print = (err: grpc.ServiceError | null, response: unknown) => {
    if (err) {
      process.stderr.write(`${grpc.status[err.code]}: ${err.details}\n`);
      process.exitCode = 1;
    } else process.stdout.write(`${JSON.stringify(response, null, 2)}\n`);
    client.close();
  };
  switch (command) {
    case 'rfm':
      client.GetRfm({ customers }, { deadline: deadline() }, print);
      return;
    case 'churn':
      client.PredictChurn({ customers }, { deadline: deadline() }, print);
      return;
    case 'nbo':
      client.PredictNbo({ customers, topK: 3 }, { deadline: deadline() }, print);
      return;
    case 'ltv':
      client.PredictLtv({ customers }, { deadline: deadline() }, print);
      return;
    case 'predict': {
      const models = new grpcObject.loyalty.v1.ModelService(
        values.address!,
        grpc.credentials.createInsecure(),
      );
      models.PredictCustomers(
        { modelName: args[0] ?? '', customers: customers.slice(1) },
        { deadline: deadline() },
        (err, response) => {
          models.close();
          print(err, response);
        },
      );
      return;
    }
    case 'stream-rfm': {
      const filter = args[0] ? { segments: [`RFM_SEGMENT_${args[0].toUpperCase()}`] } : {};
      const stream = client.ScoreCustomers({ kind: 'SCORE_KIND_RFM', filter } as never);
      let count = 0;
      const started = Date.now();
      stream.on('data', (chunk: { customers: unknown[] }) => {
        count += chunk.customers.length;
      });
      stream.on('error', (err: grpc.ServiceError) => print(err, undefined));
      stream.on('end', () => {
        const seconds = (Date.now() - started) / 1000;
        process.stdout.write(`${count} customers streamed in ${seconds.toFixed(2)} s\n`);
        client.close();
      });
      return;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      process.exit(2);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
