"""The optional LLM engine against a fake OpenAI-compatible endpoint on 127.0.0.1."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from jobs.summary import source_text, summarize
from jobs.summary.samples import INTERNSHIP_HTML, INTERNSHIP_TITLE

GOOD_ANSWER = {
    "overview": [
        "We are looking for a Content Safety Machine Learning Intern to join us in summer 2025.",
        "You will work with researchers and engineers to train, evaluate and ship classifiers.",
    ],
    "responsibilities": [
        "Develop and fine-tune machine learning models that detect policy-violating content.",
        "Build evaluation datasets and measure model quality with precision and recall",
        # Hallucinated: the posting says nothing of the kind.
        "Lead a team of twelve engineers across three continents.",
    ],
    "required": [
        "Experience with Python and at least one deep learning framework such as PyTorch or TensorFlow.",
        # A changed number is not supported either.
        "5 years of industry experience with Python.",
    ],
    "preferred": ["Familiarity with large language models"],
    "benefits": ["Free gym membership and unlimited vacation"],
    "skills": ["Python", "PyTorch", "Kubernetes", "k8s", "Rust"],
    "facts": {"workplace": "Fully remote", "deadline": "Apply by June 1, 2025"},
}


class FakeLLM:
    def __init__(self):
        self.answer = GOOD_ANSWER
        self.delay = 0.0
        self.status = 200
        self.requests = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                fake.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": json.loads(self.rfile.read(length)),
                    }
                )
                time.sleep(fake.delay)
                content = fake.answer if isinstance(fake.answer, str) else json.dumps(fake.answer)
                body = json.dumps(
                    {"choices": [{"message": {"role": "assistant", "content": content}}]}
                ).encode()
                try:
                    self.send_response(fake.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (time-out test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_llm(settings):
    fake = FakeLLM()
    settings.SUMMARY_LLM_URL = fake.url
    settings.SUMMARY_LLM_MODEL = "fake-model"
    settings.SUMMARY_LLM_KEY = "sk-test"
    settings.SUMMARY_LLM_TIMEOUT = 0.5
    yield fake
    fake.close()


def test_it_asks_the_endpoint_for_json(fake_llm):
    summarize(INTERNSHIP_HTML, INTERNSHIP_TITLE)
    (request,) = fake_llm.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == "Bearer sk-test"
    assert request["body"]["model"] == "fake-model"
    assert request["body"]["response_format"] == {"type": "json_object"}
    assert "Content Safety" in request["body"]["messages"][1]["content"]


def test_supported_items_are_kept_with_their_spans(fake_llm):
    s = summarize(INTERNSHIP_HTML, INTERNSHIP_TITLE)
    assert s.engine == "llm:fake-model"
    text = source_text(INTERNSHIP_HTML)
    assert len(s.overview) == 2
    assert [i.text for i in s.responsibilities] == GOOD_ANSWER["responsibilities"][:2]
    for name in ("overview", "responsibilities", "required", "preferred"):
        for item in s.section(name):
            words = [w for w in item.text.lower().rstrip(".").split() if len(w) > 3]
            source = text[item.start : item.end].lower()
            assert sum(w in source for w in words) / len(words) >= 0.75, item


def test_hallucinated_items_are_dropped(fake_llm):
    s = summarize(INTERNSHIP_HTML, INTERNSHIP_TITLE)
    everything = [
        i.text
        for n in ("overview", "responsibilities", "required", "preferred", "benefits")
        for i in s.section(n)
    ]
    assert "Lead a team of twelve engineers across three continents." not in everything
    assert "5 years of industry experience with Python." not in everything
    assert s.benefits == []
    names = [k.name for k in s.skills]
    assert names == ["Python", "PyTorch"]  # Kubernetes and Rust are not in the posting
    assert s.fact("workplace") is None  # "Fully remote" is not in the posting
    assert s.fact("deadline") is None
    # The facts found by the local patterns stay.
    assert s.fact("application_limit").data["limit"] == 2
    assert s.fact("review_policy").data == "rolling"


def test_a_time_out_falls_back_to_the_local_engine(fake_llm):
    fake_llm.delay = 2
    started = time.monotonic()
    s = summarize(INTERNSHIP_HTML, INTERNSHIP_TITLE)
    assert time.monotonic() - started < 1.9
    assert s.engine == "local"
    assert s.fact("application_limit").data["limit"] == 2


@pytest.mark.parametrize(
    "answer", ["this is not JSON", "[1, 2]", json.dumps({"overview": ["Made up."]})]
)
def test_a_bad_answer_falls_back_to_the_local_engine(fake_llm, answer):
    fake_llm.answer = answer
    s = summarize(INTERNSHIP_HTML, INTERNSHIP_TITLE)
    assert s.engine == "local" and s.required


def test_a_server_error_falls_back_to_the_local_engine(fake_llm):
    fake_llm.status = 500
    assert summarize(INTERNSHIP_HTML, INTERNSHIP_TITLE).engine == "local"


def test_an_unreachable_endpoint_falls_back_to_the_local_engine(settings):
    settings.SUMMARY_LLM_URL = "http://127.0.0.1:9/v1"  # discard port: nothing listens
    settings.SUMMARY_LLM_TIMEOUT = 0.5
    assert summarize(INTERNSHIP_HTML, INTERNSHIP_TITLE).engine == "local"


def test_without_settings_the_local_engine_is_used(settings):
    settings.SUMMARY_LLM_URL = ""
    assert summarize(INTERNSHIP_HTML, INTERNSHIP_TITLE).engine == "local"
