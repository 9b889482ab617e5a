#!/usr/bin/python3
"""oslo.messaging peer for novakit's interop tests (Debian's /usr/bin/python3).

  oslo_peer.py server URL EXCHANGE TOPIC SERVER
      Serves the interop endpoints; prints one JSON line {"ready": true,
      "queues": [...]} once consuming; stops on the `shutdown` cast or when
      stdin closes (so it never outlives the test).
  oslo_peer.py client URL EXCHANGE TOPIC SERVER
      Reads a JSON list of scenarios on stdin, runs them with an RPCClient and
      prints a JSON list of normalised outcomes.
"""
import json
import sys
import threading
import time

from oslo_config import cfg
from oslo_context import context as o_context
import oslo_messaging as messaging


class InstanceNotFound(Exception):
    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        super().__init__(message or
                         'Instance %(instance_id)s could not be found.' % kwargs)


def transport(url):
    conf = cfg.CONF
    conf([], project='novakit-interop')
    return messaging.get_rpc_transport(conf, url=url)


def run_server(url, exchange, topic, server_name):
    stop = threading.Event()
    seen = []

    class Compute(object):
        target = messaging.Target(version='1.3')

        def echo(self, ctxt, arg):
            return arg

        def whoami(self, ctxt):
            return {'request_id': ctxt.get('request_id'),
                    'user_id': ctxt.get('user_id') or ctxt.get('user'),
                    'roles': ctxt.get('roles'), 'region': ctxt.get('region')}

        def boom(self, ctxt):
            raise ValueError('boom from server')

        def not_found(self, ctxt, id):
            raise InstanceNotFound(instance_id=id)

        def record(self, ctxt, value):
            seen.append(value)

        def recorded(self, ctxt):
            return sorted(seen)

        def shutdown(self, ctxt):
            stop.set()

    class Tasks(object):
        target = messaging.Target(namespace='compute_task', version='1.1')

        def build(self, ctxt, n):
            return 'built %s' % n

    t = transport(url)
    server = messaging.get_rpc_server(
        t, messaging.Target(exchange=exchange, topic=topic, server=server_name),
        [Compute(), Tasks()], executor='threading')
    server.start()
    try:
        consumers = server.listener._poll_style_listener.conn._consumers
        queues = [c.queue_name for c in consumers]
    except Exception:
        queues = []
    print(json.dumps({'ready': True, 'queues': queues}), flush=True)
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()),
                     daemon=True).start()
    stop.wait(120)
    server.stop()
    server.wait()
    t.cleanup()


def outcome(fn):
    try:
        return {'ok': fn()}
    except messaging.RemoteError as e:
        return {'error': e.exc_type, 'message': e.value}
    except messaging.MessagingTimeout:
        return {'error': 'MessagingTimeout'}
    except Exception as e:
        name = type(e).__name__
        if name.endswith('_Remote'):
            name = name[:-len('_Remote')]
        return {'error': name, 'message': str(e).split('\n')[0]}


def run_client(url, exchange, topic, server_name):
    scenarios = json.load(sys.stdin)
    t = transport(url)
    client = messaging.get_rpc_client(
        t, messaging.Target(exchange=exchange, topic=topic, version='1.3'),
        timeout=10)
    ctx = o_context.RequestContext(
        user_id='u-7', project_id='p-7', request_id='req-interop-1',
        roles=['member']).to_dict()
    ctx['region'] = 'r1'
    out = []
    for s in scenarios:
        opts = {k: s[k] for k in ('version', 'namespace', 'fanout') if k in s}
        if s.get('to_server'):
            opts['server'] = server_name
        c = client.prepare(**opts) if opts else client
        args = s.get('args', {})
        if s['kind'] == 'call':
            out.append(outcome(lambda: c.call(ctx, s['method'], **args)))
        elif s['kind'] == 'cast':
            out.append(outcome(lambda: c.cast(ctx, s['method'], **args)))
        else:  # await_recorded: casts travel on other queues, so poll
            deadline = time.time() + 10
            while True:
                got = c.call(ctx, 'recorded')
                if len(got) >= s['count'] or time.time() > deadline:
                    break
                time.sleep(0.05)
            out.append({'ok': got})
    reply_q = getattr(t._driver, '_reply_q', None)
    t.cleanup()
    print(json.dumps({'outcomes': out, 'reply_q': reply_q}), flush=True)


if __name__ == '__main__':
    mode, url, exchange, topic, server_name = sys.argv[1:6]
    {'server': run_server, 'client': run_client}[mode](
        url, exchange, topic, server_name)
