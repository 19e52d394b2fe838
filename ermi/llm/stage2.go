package llm

// The paper's stage 2 (generate_tasks.py, --stage 2; used only for its final
// 6-D set): for each stage-1 answer that parsed, the model is asked again
// with the prompt followed by the first third of that answer, and the stored
// answer is the new output, a newline, and the last two thirds of the
// stage-1 answer. The spec flags this as odd (the continuation plus the old
// tail); it is what the code did, so it is reproduced as an option.

// thirds splits s after the first third of its characters (Python's
// s[:len(s)//3], counting code points).
func thirds(s string) (first, rest string) {
	r := []rune(s)
	k := len(r) / 3
	return string(r[:k]), string(r[k:])
}

// Stage2Prompt returns the stage-2 request: the data prompt followed by the
// first third of the stage-1 answer.
func Stage2Prompt(prompt, stage1 string) string {
	first, _ := thirds(stage1)
	return prompt + first
}

// Stage2Answer returns the answer the paper stored for stage 2: the stage-2
// output, a newline, then the last two thirds of the stage-1 answer.
func Stage2Answer(stage2, stage1 string) string {
	_, rest := thirds(stage1)
	return stage2 + "\n" + rest
}
