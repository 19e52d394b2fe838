package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ermi-go/ermi/ermi/atomicfile"
	"github.com/ermi-go/ermi/ermi/effects"
	"github.com/ermi-go/ermi/ermi/fit"
	"github.com/ermi-go/ermi/ermi/human"
	"github.com/ermi-go/ermi/ermi/training"
)

func runSimulate(args []string, stdout, stderr io.Writer) error {
	synopsis := "ermi simulate shepard|strategy|transfer -model DIR [-seed S] -out DIR [flags]\n\n" +
		"Simulates a trained meta-learner on one of the paper's qualitative effects and compares it with people:\n" +
		"  shepard   the six Shepard types (3-D model) against Nosofsky et al. (1994); β by distance on a grid\n" +
		"  strategy  prototype vs exemplar fits over training on Devraj et al. (2022) (6-D model), with each\n" +
		"            participant's β from an 'ermi fit -study devraj2022' run (-fits DIR)\n" +
		"  transfer  rule-plus-exception generalisation (4-D model) against Johansen & Palmeri (2002)\n" +
		"Prints β, the distance to people and 'verdict: pass' or 'verdict: fail' for the ordinal test;\n" +
		"writes DIR/<effect>.json and DIR/<effect>.csv."
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(stderr, "Usage: %s\n", synopsis)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			return nil
		}
		return errUsage
	}
	effect := args[0]
	fs := newFlagSet("simulate "+effect, synopsis, stderr)
	model := fs.String("model", "", "run directory of the trained meta-learner (required)")
	root := fs.String("root", ".", "repository root, where the shipped human data are")
	seed := fs.Uint64("seed", 1, "seed of the simulation")
	out := fs.String("out", "", "output directory (required)")
	sequences := fs.Int("sequences", 0, "simulated sequences per type (shepard, default 256) or per block (transfer, default 544)")
	blocks := fs.Int("blocks", 15, "blocks of 16 trials (shepard)")
	fits := fs.String("fits", "", "directory of an 'ermi fit -study devraj2022' run holding the model's β per participant (strategy)")
	fitModel := fs.String("fit-model", "", "the model's name in -fits (strategy; default from the run's recipe: ermi-6d → ERMI)")
	starts := fs.Int("starts", 10, "optimiser starts of each block fit (strategy)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *model == "" || *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	recipe, net, err := training.LoadRun(*model)
	if err != nil {
		return err
	}
	humanDir := filepath.Join(*root, "datasets", "human", "ermi-human")
	var summary any
	var rows [][]string
	switch effect {
	case "shepard":
		h, err := effects.LoadNosofsky1994(filepath.Join(humanDir, "nosofsky1994.json"))
		if err != nil {
			return err
		}
		res, err := effects.Shepard(net, h, effects.ShepardOptions{Blocks: *blocks, Sequences: *sequences, Seed: *seed})
		if err != nil {
			return err
		}
		summary = res
		rows = append(rows, []string{"source", "type", "block", "error"})
		for typ := range 6 {
			for b := range res.Errors[typ] {
				rows = append(rows, []string{recipe.Name, effects.ShepardTypes[typ], strconv.Itoa(b + 1), ff(res.Errors[typ][b])},
					[]string{"people", effects.ShepardTypes[typ], strconv.Itoa(b + 1), ff(res.Human[typ][b])})
			}
		}
		fmt.Fprintf(stdout, "%s on the six Shepard types (%d blocks of 16, %d sequences per type, seed %d)\n", recipe.Name, res.Opt.Blocks, res.Opt.Sequences, *seed)
		fmt.Fprintf(stdout, "%-5s %10s %10s\n", "type", "model", "people")
		for typ := range 6 {
			fmt.Fprintf(stdout, "%-5s %10.3f %10.3f\n", effects.ShepardTypes[typ], res.Errors[typ].Mean(), res.Human[typ].Mean())
		}
		fmt.Fprintf(stdout, "beta %.2g, distance to people %.4g\n", res.Beta, res.Distance)
		printVerdict(stdout, res.Pass, "I < II < {III, IV, V} < VI in mean error")
	case "transfer":
		h, err := effects.LoadJohansen2002(filepath.Join(humanDir, "johanssen2002.json"))
		if err != nil {
			return err
		}
		res, err := effects.Transfer(net, h, effects.TransferOptions{Sequences: *sequences, Seed: *seed})
		if err != nil {
			return err
		}
		summary = res
		rows = append(rows, []string{"source", "block", "item", "p_a"})
		for bi, blk := range effects.TransferBlocks {
			for i, p := range res.PA[bi] {
				rows = append(rows, []string{recipe.Name, strconv.Itoa(blk), fmt.Sprintf("T%d", i+1), ff(p)})
			}
		}
		for i, p := range h {
			rows = append(rows, []string{"people", "32", fmt.Sprintf("T%d", i+1), ff(p)})
		}
		end := res.PA[len(res.PA)-1]
		fmt.Fprintf(stdout, "%s on Johansen & Palmeri's transfer items after 32 blocks (%d sequences per block, seed %d)\n", recipe.Name, res.Opt.Sequences, *seed)
		fmt.Fprintf(stdout, "%-4s %8s %8s\n", "item", "model", "people")
		for i := range h {
			fmt.Fprintf(stdout, "T%-3d %8.3f %8.3f\n", i+1, end[i], h[i])
		}
		fmt.Fprintf(stdout, "beta %.2g, distance to people %.4g, Spearman rank correlation %.3f\n", res.Beta, res.Distance, res.Spearman)
		printVerdict(stdout, res.Pass, "every transfer item goes to the category people chose")
	case "strategy":
		if *fits == "" {
			return fmt.Errorf("strategy needs -fits DIR: an 'ermi fit -study devraj2022' run that fitted this model's β")
		}
		st, err := human.Load(human.Devraj2022, filepath.Join(*root, human.DefaultPath(human.Devraj2022)))
		if err != nil {
			return err
		}
		name := *fitModel
		if name == "" {
			name = strings.ToUpper(strings.SplitN(recipe.Name, "-", 2)[0])
		}
		rs, err := fit.LoadResults(*fits)
		if err != nil {
			return err
		}
		betas := map[int]float64{}
		for _, r := range rs {
			if r.Model == name && r.Beta != nil {
				betas[r.Participant] = *r.Beta
			}
		}
		if len(betas) == 0 {
			return fmt.Errorf("%s holds no fitted β of %s (fit it with ermi fit -study devraj2022 -models %s)", *fits, name, name)
		}
		opt := effects.StrategyOptions{Starts: *starts, Seed: *seed}
		people, err := effects.StrategyPeople(st, opt)
		if err != nil {
			return err
		}
		res, err := effects.Strategy(net, st, betas, opt)
		if err != nil {
			return err
		}
		e, p, err := effects.LoadSmith1998(filepath.Join(humanDir, "smith1998.json"))
		if err != nil {
			return err
		}
		summary = map[string]any{"model": res, "people_devraj2022": people, "smith1998": map[string]effects.Curve{"exemplar": e, "prototype": p},
			"smith1998_pass": effects.StrategyShift(e, p)}
		rows = append(rows, []string{"source", "block", "exemplar_error", "prototype_error"})
		for b := range res.Exemplar {
			rows = append(rows, []string{recipe.Name, strconv.Itoa(b + 1), ff(res.Exemplar[b]), ff(res.Prototype[b])},
				[]string{"people", strconv.Itoa(b + 1), ff(people.Exemplar[b]), ff(people.Prototype[b])})
		}
		fmt.Fprintf(stdout, "%s on Devraj et al.'s sequences, %d participants with their fitted β; GCM and PM fitted in %d blocks of %d trials\n",
			recipe.Name, len(st.Participants), res.Opt.Blocks, res.Opt.BlockLen)
		fmt.Fprintf(stdout, "%-5s %10s %10s %12s %12s\n", "block", "model GCM", "model PM", "people GCM", "people PM")
		for b := range res.Exemplar {
			fmt.Fprintf(stdout, "%-5d %10.3f %10.3f %12.3f %12.3f\n", b+1, res.Exemplar[b], res.Prototype[b], people.Exemplar[b], people.Prototype[b])
		}
		fmt.Fprintf(stdout, "people (Devraj): shift %v; Smith & Minda (1998): shift %v\n", people.Pass, effects.StrategyShift(e, p))
		printVerdict(stdout, res.Pass, "the exemplar model's error falls below the prototype model's over training")
	default:
		return fmt.Errorf("unknown effect %q (shepard, strategy or transfer)", effect)
	}
	data, err := json.MarshalIndent(map[string]any{"model": *model, "recipe": recipe.Name, "seed": *seed, "result": summary}, "", " ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(filepath.Join(*out, effect+".json"), append(data, '\n')); err != nil {
		return err
	}
	err = atomicfile.Write(filepath.Join(*out, effect+".csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.WriteAll(rows)
		return cw.Error()
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s.json and %s.csv in %s\n", effect, effect, *out)
	return nil
}

func ff(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func printVerdict(w io.Writer, pass bool, test string) {
	v := "fail"
	if pass {
		v = "pass"
	}
	fmt.Fprintf(w, "ordinal test: %s\nverdict: %s\n", test, v)
}
