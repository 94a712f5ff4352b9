package pgstore

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
)

// TestOnChangeFollowsTheDatabase books on one replica and watches the
// other: the change it follows from the database is told with the agent
// and a range covering the slot; a reload tells every agent.
func TestOnChangeFollowsTheDatabase(t *testing.T) {
	a, b, ds, _ := twoReplicas(t)
	var mu sync.Mutex
	var got []agenda.Change
	stop := b.OnChange(func(c agenda.Change) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, c)
	})
	sl := freeSlots(t, a, ds, 1)[0]
	_, err := a.Book(context.Background(), bookingOf("watched", sl))
	require.NoError(t, err)
	eventually(t, "the replica tells of the followed booking", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(got) > 0
	})
	mu.Lock()
	c := got[0]
	mu.Unlock()
	assert.Equal(t, []string{sl.AgentID}, c.AgentIDs)
	assert.True(t, c.Bounded() && !c.From.After(sl.Start) && !c.To.Before(sl.End), "range %s..%s, slot %s..%s", c.From, c.To, sl.Start, sl.End)

	// A reload replaces the index: the callbacks move to the new one and
	// hear that everything changed.
	b.applyMu.Lock()
	require.NoError(t, b.reload(context.Background()))
	b.applyMu.Unlock()
	mu.Lock()
	last := got[len(got)-1]
	n := len(got)
	mu.Unlock()
	assert.Len(t, last.AgentIDs, len(ds.Agents))
	assert.False(t, last.Bounded())
	require.NoError(t, b.CancelAppointment(context.Background(), "watched", agenda.StatusExcused))
	eventually(t, "the new index tells of the cancellation", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(got) > n
	})
	stop()
}

// TestNoNotificationLostAroundClose: a notification the notifier holds
// back for its interval is sent when the Store closes, and a write made
// after Close notifies for itself.
func TestNoNotificationLostAroundClose(t *testing.T) {
	cfg := testSchema(t)
	pool := newPool(t, cfg, true)
	ds := importSmall(t, pool)
	ctx := context.Background()
	a, err := Open(ctx, pool, Config{NotifyInterval: time.Hour, Poll: time.Hour})
	require.NoError(t, err)
	closed := false
	defer func() {
		if !closed {
			a.Close()
		}
	}()

	listener, schema := listenTo(t, cfg)
	// notified waits up to d for a notification from a.
	notified := func(d time.Duration) bool {
		deadline := time.Now().Add(d)
		for {
			wctx, cancel := context.WithDeadline(ctx, deadline)
			note, err := listener.WaitForNotification(wctx)
			cancel()
			if err != nil {
				return false
			}
			if note.Payload == schema+" "+a.notifyTag {
				return true
			}
		}
	}

	slots := freeSlots(t, a, ds, 3)
	require.Len(t, slots, 3)
	book := func(i int) {
		t.Helper()
		_, err := a.Book(ctx, bookingOf(fmt.Sprintf("close-%d", i), slots[i]))
		require.NoError(t, err)
	}
	book(0)
	require.True(t, notified(2*time.Second), "a lone write is told at once")
	book(1)
	require.False(t, notified(300*time.Millisecond), "the next, within the interval, is held back")
	a.Close()
	closed = true
	require.True(t, notified(2*time.Second), "the held-back notification is sent at Close")
	book(2)
	require.True(t, notified(2*time.Second), "a write after Close notifies for itself")
}
