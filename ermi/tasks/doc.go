// Package tasks reads, checks, transforms and batches category-learning
// tasks as the ERMI paper (Jagadish et al., ICML 2024) did.
//
// A Task is a sequence of trials, each a stimulus of D feature values and its
// category. Tasks are stored in the paper's CSV format, one row per trial:
//
//	input,target,trial_id,task_id
//	"[0.12, 0.76, 0.33]",A,0,0
//
// Reader streams such files one task at a time; Writer writes them back.
// Filter and Split are the paper's load-time processing (keep tasks of at most
// max_steps trials with exactly two categories, renumber, split 80/10/10 in
// task order); Sampler draws training batches with the paper's per-batch
// processing (label coin, trial shuffle, resampling to max_steps, global
// min-max scaling, feature permutation) and encodes each trial as
// [x_t, y_{t−1}] for the meta-learner.
//
// Typical use:
//
//	ts, dropped, err := tasks.ReadFile("tasks.csv", tasks.ReadOptions{SkipBadRows: true})
//	if err != nil { … }
//	fmt.Print(dropped)              // rows dropped, by reason
//	ts, dropped = tasks.Filter(ts, 300)
//	train, val, test := tasks.Split(ts)
//	s, err := tasks.NewSampler(train, tasks.BatchOptions{BatchSize: 32, MaxSteps: 300,
//		FlipLabels: true, ShuffleTrials: true, SampleToMaxSteps: true,
//		Normalize: true, ShuffleFeatures: true}, seed)
//	batch := s.Next()
package tasks
