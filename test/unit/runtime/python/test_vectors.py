"""The golden vectors (test/vectors/*.json) against the Python runtime (templates/python/skene_runtime.py).
Run: /usr/bin/python3 -m unittest discover -s test/unit/runtime/python -v (python.test.ts does)."""
import hashlib
import json
import os
import sys
import unittest
from datetime import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..', '..', '..')
sys.path.insert(0, os.path.join(ROOT, 'templates', 'python'))
import skene_runtime as rt  # noqa: E402


def load(name):
    with open(os.path.join(ROOT, 'test', 'vectors', name + '.json'), encoding='utf-8') as handle:
        return json.load(handle)


def parse_iso(text):
    return datetime.fromisoformat(text.replace('Z', '+00:00'))


class KeysTest(unittest.TestCase):
    def test_idempotency_and_batch_keys(self):
        vectors = load('keys')
        for case in vectors['idempotency']:
            key = rt.idempotency_key(case['loopId'], case['step'], case['userId'], case['cycle'])
            self.assertEqual(key, case['key'])
            self.assertLessEqual(len(key), 256)
        for case in vectors['batch']:
            self.assertEqual(rt.batch_key(case['loopId'], case['memberKeys']), case['key'])
        self.assertEqual(rt.batch_body(vectors['batchBody']['bodies']), vectors['batchBody']['body'])
        for case in vectors['sha256']:
            self.assertEqual(rt.sha256_hex(case['text']), case['hex'])


class RenderTest(unittest.TestCase):
    def test_renderer(self):
        for case in load('render')['render']:
            given = case['input']
            rendered = rt.render_email(given['subject'], given['html'], given['text'], given['personalization'], given['user'], given['unsubscribeUrl'])
            self.assertEqual(rendered, case['output'])

    def test_email_bodies_are_byte_identical(self):
        for case in load('render')['emailBody']:
            given = case['input']
            step = {key: given.get(key) for key in ('subject', 'html', 'text', 'from', 'replyTo', 'personalization')}
            body = rt.email_body(given['loopId'], given['userId'], given['email'], step, given['user'], given['unsubscribeBaseUrl'], given['secret'])
            self.assertEqual(body, case['body'])

    def test_unsubscribe(self):
        for case in load('unsubscribe')['cases']:
            self.assertEqual(rt.unsubscribe_token(case['secret'], case['loopId'], case['userId']), case['token'])
            self.assertEqual(rt.unsubscribe_link(case['baseUrl'], case['secret'], case['loopId'], case['userId']), case['link'])
            self.assertTrue(rt.verify_unsubscribe_token(case['secret'], case['loopId'], case['userId'], case['token']))
            self.assertFalse(rt.verify_unsubscribe_token(case['secret'] + 'x', case['loopId'], case['userId'], case['token']))


class PolicyTest(unittest.TestCase):
    def test_classification_table(self):
        for case in load('classify')['cases']:
            answer = case['answer']
            got = rt.classify_answer(status=answer.get('status'), error_name=answer.get('errorName'), network_error=answer.get('networkError'),
                                     retry_after=answer.get('retryAfter'), now_ms=case.get('nowMs', 0))
            self.assertEqual(got, case['expected'], answer)

    def test_backoff_sequences(self):
        for case in load('backoff')['sequences']:
            draws = list(case['random'])
            delays = [rt.backoff_delay_ms(case['policy'], attempt, case['retryAfterMs'][attempt], lambda: draws.pop(0))
                      for attempt in range(len(case['expected']))]
            self.assertEqual(delays, case['expected'])

    def test_ticks(self):
        for case in load('ticks')['cases']:
            tick = rt.scheduled_tick(case['cron'], case['timezone'], parse_iso(case['now']))
            self.assertEqual(rt.iso_utc(tick), case['tick'], case)

    def test_condition_seal(self):
        """The runtime never parses SQL: it runs a sealed condition as is and refuses any other text."""
        cases = load('condition')['cases']
        seals = [c['sealed'] for c in cases if c['sealed']]
        self.assertFalse(hasattr(rt, 'check_condition'))
        for sealed in seals:
            self.assertIsNone(rt.verify_seal(sealed['query'], sealed['sha256']))
        for case in cases:
            for seal in [None, ''] + [s['sha256'] for s in seals]:
                verdict = rt.verify_seal(case['query'], seal)
                if seal and seal == rt.sha256_hex(case['query']):
                    continue
                self.assertRegex(verdict or '', r'^the condition (has no|does not match its) sha256 seal', case['query'])

    def test_eligibility(self):
        vectors = load('eligibility')
        for case in vectors['addresses']:
            self.assertEqual(rt.is_valid_address(case['email']), case['valid'], case)
        for case in vectors['firstStep']:
            verdict = rt.decide_first_step(case['candidate'], case['history'], case['suppressed'], case['frequencyCap'], case['nowMs'], case['holdout'])
            self.assertEqual(verdict, case['verdict'], case)
        for case in vectors['laterStep']:
            state = dict((k, v) for k, v in case.items() if k != 'verdict')
            self.assertEqual(rt.decide_later_step(state), case['verdict'], case)

    def test_holdout_buckets_and_share(self):
        vectors = load('holdout')
        for case in vectors['cases']:
            got = {'bucket': rt.holdout_bucket(case['loopId'], case['userId']), 'at10': rt.is_held_out(case['loopId'], case['userId'], 0.1),
                   'at50': rt.is_held_out(case['loopId'], case['userId'], 0.5)}
            self.assertEqual(got, {'bucket': case['bucket'], 'at10': case['heldOutAt10'], 'at50': case['heldOutAt50']}, case)
        bulk = vectors['bulk']
        held = sum(1 for user in range(1, bulk['n'] + 1) if rt.is_held_out(bulk['loopId'], str(user), bulk['share']))
        self.assertEqual(held, bulk['heldOut'])
        self.assertLessEqual(abs(held / bulk['n'] - bulk['share']), 0.01)

    def test_cap_quiet_hours_and_delivery(self):
        vectors = load('delivery')
        for case in vectors['capDeferral']:
            self.assertEqual(rt.cap_deferral(case['recentMs'], case['cap'], case['nowMs']), case['notBeforeMs'], case)
        for case in vectors['quietUntil']:
            self.assertEqual(rt.quiet_until(case['nowMs'], case['zone'], case), case['untilMs'], case)
        for case in vectors['decide']:
            self.assertEqual(rt.decide_delivery(case['rules'], case['row'], case['recentMs'], case['nowMs']), case['verdict'], case)


class SqlTest(unittest.TestCase):
    def test_ledger_ddl_is_byte_identical(self):
        with open(os.path.join(ROOT, 'sdk', 'runtime', 'ledger.sql'), encoding='utf-8') as handle:
            self.assertEqual(rt.LEDGER_SQL, handle.read())
        self.assertEqual(hashlib.sha256(rt.LEDGER_SQL.encode('utf-8')).hexdigest(), load('sql')['ledgerSha256'])
        for case in load('sql')['conditionTransaction']:
            self.assertEqual(rt.condition_transaction_sql(case['manifest']), case['sql'])

    def test_page_queries(self):
        vectors = load('sql')
        for case in vectors['cases']:
            manifest = case['manifest']
            self.assertEqual(rt.audience_page_sql(manifest, True), case['firstPage'])
            self.assertEqual(rt.audience_page_sql(manifest, False), case['nextPage'])
            self.assertEqual(rt.users_by_id_sql(manifest), case['usersById'])
            self.assertEqual(rt.conversion_sweep_sql(manifest), case['conversionSweep'])
        for case in vectors['arrayLiteral']:
            self.assertEqual(rt.array_literal(case['values']), case['literal'])

    def test_condition_cursor(self):
        """The page's text as a value, the fixed DO block and FETCH: the same statements as TypeScript's."""
        vectors = load('sql')
        cursor = vectors['conditionCursor']
        self.assertEqual(rt.SET_CONDITION_PAGE, cursor['set'].replace('$1', '%s'))
        self.assertEqual(rt.OPEN_CONDITION_CURSOR, cursor['open'])
        self.assertEqual(rt.FETCH_CONDITION_PAGE, cursor['fetch'])
        for case in vectors['cases']:
            for page in case['pages']:
                self.assertEqual(rt.condition_page_sql(case['manifest'], page['afterId'], page['limit']), page['sql'])


class ReportTest(unittest.TestCase):
    def assert_close(self, got, expected, case):
        if expected is None or isinstance(expected, str):
            self.assertEqual(got, expected, case)
        elif isinstance(expected, list):
            self.assertEqual(len(got), len(expected), case)
            for g, e in zip(got, expected):
                self.assertAlmostEqual(g, e, delta=1e-12, msg=case)
        else:
            self.assertAlmostEqual(got, expected, delta=1e-12, msg=case)

    def test_lift_stats(self):
        vectors = load('report')
        for case in vectors['stats']:
            given = case['input']
            got = rt.lift_stats(given['sent'], given['sentConverted'], given['held'], given['heldConverted'])
            for key, expected in case['output'].items():
                self.assert_close(got[key], expected, (case, key))
        for case in vectors['published']:
            low, high = rt.newcombe_interval(case['x1'], case['n1'], case['x2'], case['n2'])
            self.assertEqual((round(low, 4), round(high, 4)), (case['low'], case['high']))

    def test_report_sql(self):
        for case in load('report')['reportSql']:
            self.assertEqual(rt.report_sql(case['source']), case['sql'])


class RateLimiterTest(unittest.TestCase):
    def test_spacing_and_lowering_from_headers(self):
        clock = {'t': 0.0}
        starts = []

        def sleep(seconds):
            clock['t'] += seconds
        limiter = rt.RateLimiter(10, monotonic=lambda: clock['t'], sleep=sleep)
        for _ in range(3):
            limiter.acquire()
            starts.append(round(clock['t'] * 1000))
        limiter.observe({'ratelimit-limit': '2', 'ratelimit-remaining': '1', 'ratelimit-reset': '1'})
        for _ in range(2):
            limiter.acquire()
            starts.append(round(clock['t'] * 1000))
        limiter.pause_for(3000)  # a 429's retry-after
        limiter.acquire()
        starts.append(round(clock['t'] * 1000))
        self.assertEqual(starts, [0, 102, 204, 306, 816, 3816])
        self.assertEqual(limiter.rate, 2.0)


if __name__ == '__main__':
    unittest.main()
