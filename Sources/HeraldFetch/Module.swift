// HeraldFetch: work in progress (see README, Architecture).
