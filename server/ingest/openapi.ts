/**
 * The OpenAPI 3.1 document of /api/v1, served at GET /api/v1/openapi.json. Request and response
 * shapes are generated from the shared zod schemas (z.toJSONSchema), so they cannot drift.
 */
import { z } from 'zod';
import {
  FeedbackBatchResponse,
  FeedbackItem,
  FeedbackItemInput,
  FeedbackPage,
  INGEST_LIMITS,
} from '../../shared/feedback.ts';

const input = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
const output = (s: z.ZodType) => z.toJSONSchema(s, { io: 'output', unrepresentable: 'any', target: 'draft-2020-12' });

const ErrorBody = {
  type: 'object',
  required: ['ok', 'error'],
  properties: {
    ok: { const: false },
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
  },
};

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

let cached: object | null = null;

export function openApiDocument(): object {
  cached ??= build();
  return cached;
}

function build(): object {
  const strip = (schema: Record<string, unknown>) => {
    const { $schema: _drop, ...rest } = schema;
    return rest;
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Parley machine API',
      version: '1.0.0',
      description:
        'Feedback from outside the widget. Authenticate with the site API token (admin page -> Sites -> API token) as `Authorization: Bearer <token>`. ' +
        'After a rotation the previous token keeps working for a grace period (24 h by default). ' +
        `A batch holds at most ${INGEST_LIMITS.BATCH_MAX_ITEMS} items and ${INGEST_LIMITS.BATCH_MAX_BYTES / (1024 * 1024)} MB; item text at most ${INGEST_LIMITS.TEXT_MAX_CHARS} characters. ` +
        'Items are deduplicated by (site, source, externalId): sending one again answers `duplicate` with the stored id.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { siteToken: { type: 'http', scheme: 'bearer', description: 'The site API token' } },
      schemas: {
        FeedbackItemInput: strip(input(FeedbackItemInput)),
        FeedbackBatch: {
          type: 'object',
          required: ['items'],
          properties: { items: { type: 'array', minItems: 1, maxItems: INGEST_LIMITS.BATCH_MAX_ITEMS, items: { $ref: '#/components/schemas/FeedbackItemInput' } } },
        },
        FeedbackBatchResponse: strip(output(FeedbackBatchResponse)),
        FeedbackItem: strip(output(FeedbackItem)),
        FeedbackPage: strip(output(FeedbackPage)),
        Error: ErrorBody,
      },
    },
    security: [{ siteToken: [] }],
    paths: {
      '/api/v1/feedback': {
        post: {
          summary: 'Send a batch of feedback items',
          description: 'Each item is validated on its own: the answer lists every item in order as `created` (with its id), `duplicate` (with the stored id) or `error` (with the index and reason). Good items are stored even when others fail.',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/FeedbackBatch' } } } },
          responses: {
            '201': { description: 'At least one item was created', content: { 'application/json': { schema: { $ref: '#/components/schemas/FeedbackBatchResponse' } } } },
            '200': { description: 'Nothing new (all duplicates or errors)', content: { 'application/json': { schema: { $ref: '#/components/schemas/FeedbackBatchResponse' } } } },
            '400': errorResponse('The body is not a batch (e.g. no items, more than 1,000)'),
            '401': errorResponse('Missing, invalid or expired token'),
            '413': errorResponse('The body is larger than the batch limit'),
            '429': errorResponse('Too many requests for this token'),
          },
        },
        get: {
          summary: 'List feedback items, oldest first, in keyset pages',
          parameters: [
            { name: 'source', in: 'query', schema: { type: 'string' }, description: 'the source label' },
            { name: 'channel', in: 'query', schema: { type: 'string', enum: ['api', 'import', 'feed', 'webhook'] } },
            { name: 'since', in: 'query', schema: { type: 'string' }, description: 'ingested at or after: ISO 8601 or epoch ms' },
            { name: 'cursor', in: 'query', schema: { type: 'string' }, description: '`nextCursor` of the previous page' },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
          ],
          responses: {
            '200': { description: 'A page', content: { 'application/json': { schema: { $ref: '#/components/schemas/FeedbackPage' } } } },
            '401': errorResponse('Missing, invalid or expired token'),
          },
        },
      },
      '/api/v1/feedback/{id}': {
        get: {
          summary: 'One item, with its extraction once analysed',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'The item',
              content: { 'application/json': { schema: { type: 'object', properties: { ok: { const: true }, item: { $ref: '#/components/schemas/FeedbackItem' } } } } },
            },
            '401': errorResponse('Missing, invalid or expired token'),
            '404': errorResponse('No such item for this site'),
          },
        },
      },
      '/api/v1/inbound/{siteKey}/{secret}': {
        post: {
          summary: 'Generic inbound webhook (secret in the URL)',
          description: 'Any JSON body; the JSON paths configured in the admin page (Ingest -> Webhook) pick text, author, externalId, url, rating and createdAt.',
          security: [],
          parameters: [
            { name: 'siteKey', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'secret', in: 'path', required: true, schema: { type: 'string' } },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: {} } } },
          responses: { '201': { description: 'Created' }, '200': { description: 'Duplicate' }, '400': errorResponse('Not JSON, or the mapped item is invalid'), '401': errorResponse('Wrong secret') },
        },
      },
      '/api/v1/inbound/{siteKey}': {
        post: {
          summary: 'Generic inbound webhook (signed)',
          description: 'Send `X-Parley-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the webhook secret>`.',
          security: [],
          parameters: [
            { name: 'siteKey', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'X-Parley-Signature', in: 'header', required: true, schema: { type: 'string' } },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: {} } } },
          responses: { '201': { description: 'Created' }, '200': { description: 'Duplicate' }, '400': errorResponse('Not JSON, or the mapped item is invalid'), '401': errorResponse('Wrong signature') },
        },
      },
    },
  };
}
