// HeraldSpool: work in progress (see README, Architecture).
