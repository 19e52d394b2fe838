package human

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// repo is the repository root, where the shipped data live.
var repo = filepath.Join("..", "..")

func TestLoadShipped(t *testing.T) {
	tests := []struct {
		study        string
		participants int
		conditions   int
		trials       int // all trials of all participants
		dims         int
	}{
		{Badham2017, 95, 4, 33440, 3},
		{Devraj2022, 60, 1, 60 * 616, 6},
	}
	for _, tt := range tests {
		t.Run(tt.study, func(t *testing.T) {
			st, err := Load(tt.study, filepath.Join(repo, DefaultPath(tt.study)))
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Participants) != tt.participants || st.Dims != tt.dims {
				t.Fatalf("%d participants, %d dims; want %d, %d", len(st.Participants), st.Dims, tt.participants, tt.dims)
			}
			n := 0
			for _, p := range st.Participants {
				if len(p.Sequences) != tt.conditions {
					t.Fatalf("participant %d: %d conditions", p.ID, len(p.Sequences))
				}
				for i, s := range p.Sequences {
					if tt.study == Badham2017 && s.Condition != i+1 {
						t.Fatalf("participant %d: sequence %d is condition %d", p.ID, i, s.Condition)
					}
					if len(s.X) != s.Len()*s.Dims || len(s.Choice) != s.Len() {
						t.Fatalf("participant %d: inconsistent sequence", p.ID)
					}
				}
				n += p.Trials()
			}
			if n != tt.trials {
				t.Errorf("%d trials, want %d", n, tt.trials)
			}
		})
	}
}

func TestBadhamShortCondition(t *testing.T) {
	st, err := Load(Badham2017, filepath.Join(repo, DefaultPath(Badham2017)))
	if err != nil {
		t.Fatal(err)
	}
	// Participant 1 reached the criterion early in condition 1: 48 trials,
	// kept as they are.
	if got := st.Participants[1].Sequences[0].Len(); got != 48 {
		t.Errorf("participant 1, condition 1: %d trials, want 48", got)
	}
	// Participant 0's first trial: Big Black Square, correct j, chose j.
	s := st.Participants[0].Sequences[0]
	if fmt.Sprint(s.Row(0), s.Category[0], s.Choice[0]) != "[1 1 1] 1 1" {
		t.Errorf("first trial %v %d %d", s.Row(0), s.Category[0], s.Choice[0])
	}
}

func TestFlipped(t *testing.T) {
	s := Sequence{Dims: 2, X: []float64{0, 1, 1, 1}, Category: []int{0, 1}, Choice: []int{1, 1}}
	f := s.Flipped()
	if fmt.Sprint(f.X, f.Category, f.Choice) != "[1 0 0 0] [1 0] [0 0]" {
		t.Errorf("flipped %v %v %v", f.X, f.Category, f.Choice)
	}
	if s.X[0] != 0 {
		t.Error("Flipped changed its receiver")
	}
}

func TestReadErrors(t *testing.T) {
	const badhamHeader = "participant,task,trial,choice,correct_choice,condition,feature1,feature2,feature3\n"
	const devrajHeader = "participant,trial,choice,correct_choice,condition,feature1,feature2,feature3,feature4,feature5,feature6\n"
	tests := []struct {
		name, study, data, want string
	}{
		{"empty", Badham2017, "", "x.csv: empty file"},
		{"no column", Badham2017, "participant,trial\n", `x.csv:1: no column "choice"`},
		{"bad key", Badham2017, badhamHeader + "0,0,0,k,j,1,1,1,1\n", "x.csv:2: field choice"},
		{"bad feature", Badham2017, badhamHeader + "0,0,0,j,j,1,1,NaN,1\n", "x.csv:2: field feature2"},
		{"non-binary", Badham2017, badhamHeader + "0,0,0,j,j,1,1,0.5,1\n", "x.csv:2: field feature2"},
		{"bad condition", Badham2017, badhamHeader + "0,0,0,j,j,7,1,1,1\n", "x.csv:2: field condition"},
		{"order", Badham2017, badhamHeader + "0,0,5,j,j,1,1,1,1\n0,0,4,j,j,1,1,1,1\n", "x.csv:3: field trial"},
		{"participant", Badham2017, badhamHeader + "x,0,0,j,j,1,1,1,1\n", "x.csv:2: field participant"},
		{"short row", Badham2017, badhamHeader + "0,0,0,j\n", "x.csv"},
		{"no trials", Devraj2022, devrajHeader + "0,0,1,1,experimental,0,0,0,0,0,0\n", "x.csv: no trials"},
		{"devraj choice", Devraj2022, devrajHeader + "0,0,2,1,control,0,0,0,0,0,0\n", "x.csv:2: field choice"},
		{"devraj condition", Devraj2022, devrajHeader + "0,0,1,1,ctl,0,0,0,0,0,0\n", "x.csv:2: field condition"},
		{"study", "nosofsky", "", `unknown study "nosofsky"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(tt.study, strings.NewReader(tt.data), "x.csv")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(Badham2017, "no/such/file.csv")
	if err == nil || !strings.Contains(err.Error(), "no/such/file.csv") {
		t.Errorf("error %v, want one naming the file", err)
	}
}

func ExampleLoad() {
	st, err := Load(Devraj2022, "../../datasets/human/devraj2022/devraj2022rational_exp1.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	p := st.Participants[0]
	fmt.Printf("%s: %d participants, %d features; participant %d: %d trials, accuracy %.3f\n",
		st.Name, len(st.Participants), st.Dims, p.ID, p.Trials(), p.Sequences[0].Accuracy())
	// Output: devraj2022: 60 participants, 6 features; participant 0: 616 trials, accuracy 0.506
}
