package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Provider sends one prompt to an LLM and returns its answer.
type Provider interface {
	// Complete returns the answer's text and whether the model stopped
	// because it ran out of tokens.
	Complete(ctx context.Context, prompt string) (Answer, error)
	// Name says which API and model answer, for logs and stored records.
	Name() string
}

// Answer is an LLM's reply to one prompt.
type Answer struct {
	Text string
	// Truncated is true when the model stopped at its token limit.
	Truncated bool
}

// Config holds what every provider needs. The API key comes from the
// environment only (see KeyFromEnv); it is never written anywhere.
type Config struct {
	// API is "anthropic" (Messages API) or "openai" (chat completions:
	// also Ollama, llama.cpp's server, vLLM).
	API string
	// BaseURL is the API root, e.g. https://api.anthropic.com or
	// http://127.0.0.1:11434/v1.
	BaseURL string
	Model   string
	// Temperature defaults to 1.0, the paper's (never overridden there).
	Temperature float64
	// MaxTokens bounds the answer's length.
	MaxTokens int
	// Timeout bounds one HTTP attempt (default 10 minutes: long answers).
	Timeout time.Duration
	// Retries is the number of retries after a failed attempt (default 6),
	// for 429, 5xx, connection errors and broken answers; MinBackoff and
	// MaxBackoff bound the exponential backoff (defaults 1 s and 2 min).
	Retries                int
	MinBackoff, MaxBackoff time.Duration
	// APIKey is set from the environment by KeyFromEnv.
	APIKey string `json:"-"`
	// HTTPClient, when set, replaces the default client (tests).
	HTTPClient *http.Client `json:"-"`
}

// KeyFromEnv returns the API key for the configuration's API from the
// environment: ANTHROPIC_API_KEY or OPENAI_API_KEY (ERMI_LLM_API_KEY for
// either). A local OpenAI-compatible server may need none.
func KeyFromEnv(api string, getenv func(string) string) string {
	if k := getenv("ERMI_LLM_API_KEY"); k != "" {
		return k
	}
	if api == "anthropic" {
		return getenv("ANTHROPIC_API_KEY")
	}
	return getenv("OPENAI_API_KEY")
}

// NewProvider returns the provider for cfg, with defaults filled in.
func NewProvider(cfg Config) (Provider, error) {
	if cfg.Temperature == 0 {
		cfg.Temperature = 1.0
	}
	if cfg.MaxTokens <= 0 {
		cfg.MaxTokens = 4000
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Minute
	}
	if cfg.Retries == 0 {
		cfg.Retries = 6
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 2 * time.Minute
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.Model == "" || cfg.BaseURL == "" {
		return nil, errors.New("llm: a provider needs a base URL and a model")
	}
	switch cfg.API {
	case "anthropic":
		if cfg.APIKey == "" {
			return nil, errors.New("llm: the Anthropic API needs a key in ANTHROPIC_API_KEY (or ERMI_LLM_API_KEY)")
		}
		return &httpProvider{cfg: cfg, api: anthropicAPI{}}, nil
	case "openai":
		return &httpProvider{cfg: cfg, api: openaiAPI{}}, nil
	}
	return nil, fmt.Errorf("llm: unknown API %q (anthropic or openai)", cfg.API)
}

// wireAPI builds one API's request and reads its answer.
type wireAPI interface {
	request(cfg *Config, prompt string) (path string, body any, header http.Header)
	answer(body []byte) (Answer, error)
}

type anthropicAPI struct{}

func (anthropicAPI) request(cfg *Config, prompt string) (string, any, http.Header) {
	h := http.Header{}
	h.Set("x-api-key", cfg.APIKey)
	h.Set("anthropic-version", "2023-06-01")
	return "/v1/messages", map[string]any{
		"model": cfg.Model, "max_tokens": cfg.MaxTokens, "temperature": cfg.Temperature,
		"messages": []map[string]string{{"role": "user", "content": prompt}},
	}, h
}

func (anthropicAPI) answer(body []byte) (Answer, error) {
	var r struct {
		Content []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"content"`
		StopReason string `json:"stop_reason"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return Answer{}, fmt.Errorf("malformed answer: %w", err)
	}
	if r.Content == nil {
		return Answer{}, errors.New("malformed answer: no content")
	}
	var b strings.Builder
	for _, c := range r.Content {
		if c.Type == "text" {
			b.WriteString(c.Text)
		}
	}
	return Answer{Text: b.String(), Truncated: r.StopReason == "max_tokens"}, nil
}

type openaiAPI struct{}

func (openaiAPI) request(cfg *Config, prompt string) (string, any, http.Header) {
	h := http.Header{}
	if cfg.APIKey != "" {
		h.Set("Authorization", "Bearer "+cfg.APIKey)
	}
	return "/chat/completions", map[string]any{
		"model": cfg.Model, "max_tokens": cfg.MaxTokens, "temperature": cfg.Temperature,
		"messages": []map[string]string{{"role": "user", "content": prompt}},
	}, h
}

func (openaiAPI) answer(body []byte) (Answer, error) {
	var r struct {
		Choices []struct {
			Message struct {
				Content string `json:"content"`
			} `json:"message"`
			FinishReason string `json:"finish_reason"`
		} `json:"choices"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return Answer{}, fmt.Errorf("malformed answer: %w", err)
	}
	if len(r.Choices) == 0 {
		return Answer{}, errors.New("malformed answer: no choices")
	}
	return Answer{Text: r.Choices[0].Message.Content, Truncated: r.Choices[0].FinishReason == "length"}, nil
}

type httpProvider struct {
	cfg Config
	api wireAPI
}

func (p *httpProvider) Name() string { return p.cfg.API + ":" + p.cfg.Model }

// errRetry marks an attempt worth retrying, with the server's wish.
type errRetry struct {
	err   error
	after time.Duration // from Retry-After; 0 when not given
}

func (e *errRetry) Error() string { return e.err.Error() }

// Complete sends the prompt, retrying transient failures with exponential
// backoff and full jitter, honouring Retry-After, until the context ends.
func (p *httpProvider) Complete(ctx context.Context, prompt string) (Answer, error) {
	var last error
	for attempt := 0; attempt <= p.cfg.Retries; attempt++ {
		a, err := p.attempt(ctx, prompt)
		if err == nil {
			return a, nil
		}
		var re *errRetry
		if !errors.As(err, &re) {
			return Answer{}, err
		}
		last = re.err
		if attempt == p.cfg.Retries {
			break
		}
		wait := p.backoff(attempt)
		if re.after > wait {
			wait = re.after
		}
		select {
		case <-ctx.Done():
			return Answer{}, fmt.Errorf("llm: %s: %w (last error: %v)", p.Name(), ctx.Err(), last)
		case <-time.After(wait):
		}
	}
	return Answer{}, fmt.Errorf("llm: %s: gave up after %d attempts: %w", p.Name(), p.cfg.Retries+1, last)
}

func (p *httpProvider) backoff(attempt int) time.Duration {
	ceil := p.cfg.MinBackoff << min(attempt, 30)
	if ceil > p.cfg.MaxBackoff || ceil <= 0 {
		ceil = p.cfg.MaxBackoff
	}
	return p.cfg.MinBackoff/2 + time.Duration(rand.Int64N(int64(ceil)))
}

func (p *httpProvider) attempt(ctx context.Context, prompt string) (Answer, error) {
	path, body, header := p.api.request(&p.cfg, prompt)
	payload, err := json.Marshal(body)
	if err != nil {
		return Answer{}, fmt.Errorf("llm: %w", err)
	}
	actx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, strings.TrimRight(p.cfg.BaseURL, "/")+path, bytes.NewReader(payload))
	if err != nil {
		return Answer{}, fmt.Errorf("llm: %w", err)
	}
	req.Header = header
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.cfg.HTTPClient.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return Answer{}, fmt.Errorf("llm: %s: %w", p.Name(), ctx.Err())
		}
		return Answer{}, &errRetry{err: fmt.Errorf("connection: %w", err)}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return Answer{}, &errRetry{err: fmt.Errorf("reading the answer: %w", err)}
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return Answer{}, &errRetry{err: fmt.Errorf("HTTP %d: %s", resp.StatusCode, clip(string(data))), after: retryAfter(resp.Header.Get("Retry-After"))}
	case resp.StatusCode != http.StatusOK:
		return Answer{}, fmt.Errorf("llm: %s: HTTP %d: %s", p.Name(), resp.StatusCode, clip(string(data)))
	}
	a, err := p.api.answer(data)
	if err != nil {
		return Answer{}, &errRetry{err: err}
	}
	return a, nil
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}
