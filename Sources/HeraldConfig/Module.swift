// HeraldConfig: work in progress (see README, Architecture).
