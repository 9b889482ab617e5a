// Versioned RPC over an in-process transport or RabbitMQ, wire-compatible with oslo.messaging.
export {};
