package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// faultServer speaks the Anthropic Messages and OpenAI chat-completions APIs
// on loopback and fails each request in the order of faults before answering.
type faultServer struct {
	mu     sync.Mutex
	faults []string
	calls  int
	got    []map[string]any
	auth   []string
}

func (f *faultServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.calls++
	var fault string
	if len(f.faults) > 0 {
		fault, f.faults = f.faults[0], f.faults[1:]
	}
	var body map[string]any
	json.NewDecoder(r.Body).Decode(&body)
	f.got = append(f.got, body)
	f.auth = append(f.auth, r.Header.Get("x-api-key")+r.Header.Get("Authorization"))
	f.mu.Unlock()
	switch fault {
	case "429":
		w.Header().Set("Retry-After", "1")
		http.Error(w, `{"error":"rate limited"}`, http.StatusTooManyRequests)
		return
	case "500":
		http.Error(w, "boom", http.StatusInternalServerError)
		return
	case "drop":
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
		return
	case "slow":
		time.Sleep(300 * time.Millisecond)
	case "malformed":
		w.Write([]byte(`{"content": [`))
		return
	case "truncated":
		conn, buf, _ := w.(http.Hijacker).Hijack()
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 500\r\nContent-Type: application/json\r\n\r\n{\"content\":")
		buf.Flush()
		conn.Close()
		return
	case "400":
		http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
		return
	}
	if strings.HasSuffix(r.URL.Path, "/v1/messages") {
		fmt.Fprintf(w, `{"content":[{"type":"text","text":"1: 1, 2, 3, 4, a\n"}],"stop_reason":"end_turn"}`)
	} else {
		fmt.Fprintf(w, `{"choices":[{"message":{"content":"1: 1, 2, 3, 4, a\n"},"finish_reason":"length"}]}`)
	}
}

func newTestProvider(t *testing.T, api string, f *faultServer) Provider {
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	base := srv.URL
	if api == "openai" {
		base += "/v1"
	}
	p, err := NewProvider(Config{API: api, BaseURL: base, Model: "test-model", APIKey: "sk-test", MaxTokens: 100,
		Timeout: 100 * time.Millisecond, Retries: 7, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProviderSurvivesFaults(t *testing.T) {
	for _, api := range []string{"anthropic", "openai"} {
		t.Run(api, func(t *testing.T) {
			f := &faultServer{faults: []string{"429", "500", "drop", "slow", "malformed", "truncated"}}
			p := newTestProvider(t, api, f)
			start := time.Now()
			a, err := p.Complete(context.Background(), "prompt text")
			if err != nil {
				t.Fatal(err)
			}
			if a.Text != "1: 1, 2, 3, 4, a\n" || a.Truncated != (api == "openai") {
				t.Errorf("answer %+v", a)
			}
			if f.calls != 7 {
				t.Errorf("%d calls, want 6 failures and a success", f.calls)
			}
			if time.Since(start) < time.Second {
				t.Error("Retry-After: 1 was not honoured")
			}
			req := f.got[len(f.got)-1]
			if req["model"] != "test-model" || req["temperature"] != 1.0 || req["max_tokens"] != 100.0 {
				t.Errorf("request %v", req)
			}
			msgs := req["messages"].([]any)
			if msgs[0].(map[string]any)["content"] != "prompt text" {
				t.Errorf("messages %v", msgs)
			}
			if !strings.Contains(f.auth[0], "sk-test") {
				t.Errorf("key not sent: %q", f.auth[0])
			}
		})
	}
}

func TestProviderStops(t *testing.T) {
	f := &faultServer{faults: []string{"400"}}
	p := newTestProvider(t, "openai", f)
	if _, err := p.Complete(context.Background(), "x"); err == nil || !strings.Contains(err.Error(), "HTTP 400") || f.calls != 1 {
		t.Errorf("a 400 is final: err %v after %d calls", err, f.calls)
	}
	f = &faultServer{faults: []string{"500", "500", "500", "500", "500", "500", "500", "500", "500"}}
	p = newTestProvider(t, "anthropic", f)
	if _, err := p.Complete(context.Background(), "x"); err == nil || !strings.Contains(err.Error(), "gave up after 8 attempts") {
		t.Errorf("err %v", err)
	}
	f = &faultServer{faults: []string{"429", "429"}}
	p = newTestProvider(t, "anthropic", f)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := p.Complete(ctx, "x"); err == nil || !strings.Contains(err.Error(), "deadline") || time.Since(start) > 900*time.Millisecond {
		t.Errorf("cancelled context: err %v after %v", err, time.Since(start))
	}
}

func TestProviderConfig(t *testing.T) {
	if _, err := NewProvider(Config{API: "anthropic", BaseURL: "http://x", Model: "m"}); err == nil || !strings.Contains(err.Error(), "ANTHROPIC_API_KEY") {
		t.Errorf("no key: %v", err)
	}
	if _, err := NewProvider(Config{API: "palm", BaseURL: "http://x", Model: "m"}); err == nil {
		t.Error("unknown API accepted")
	}
	env := map[string]string{"OPENAI_API_KEY": "o", "ANTHROPIC_API_KEY": "a"}
	if KeyFromEnv("openai", func(k string) string { return env[k] }) != "o" || KeyFromEnv("anthropic", func(k string) string { return env[k] }) != "a" {
		t.Error("KeyFromEnv")
	}
	if d := retryAfter("3"); d != 3*time.Second {
		t.Errorf("retryAfter(3) = %v", d)
	}
}
