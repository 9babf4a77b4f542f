package testkit

import "sync"

// AtOnce runs fn(0) … fn(n-1) in n goroutines released together and
// returns their results in that order: the races of concurrency tests (two
// accepts of one invitation, two organizations of one name).
func AtOnce[T any](n int, fn func(i int) T) []T {
	out := make([]T, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i] = fn(i)
		}()
	}
	close(start)
	wg.Wait()
	return out
}
