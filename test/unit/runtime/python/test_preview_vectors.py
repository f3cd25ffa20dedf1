"""The email preview's vectors (test/vectors/preview.json) against the Python runtime: for the preview's user, the
Celery side renders the very body the preview shows (previewVectors.test.ts checks the TypeScript side)."""
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..', '..', '..')
sys.path.insert(0, os.path.join(ROOT, 'templates', 'python'))
import skene_runtime as rt  # noqa: E402


class PreviewVectorsTest(unittest.TestCase):
    def test_python_renders_the_previewed_body(self):
        with open(os.path.join(ROOT, 'test', 'vectors', 'preview.json'), encoding='utf-8') as handle:
            cases = json.load(handle)['cases']
        self.assertTrue(cases)
        for case in cases:
            body = rt.email_body(case['loopId'], case['userId'], case['email'], case['step'], case['user'], case['unsubscribeBaseUrl'], case['secret'])
            self.assertEqual(body, case['body'], case['name'])
            self.assertEqual(json.loads(body)['html'], json.loads(case['body'])['html'])


if __name__ == '__main__':
    unittest.main()
